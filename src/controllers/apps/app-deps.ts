import type { Runner } from '../../runners/runner.js';
import type { Platform } from '../../services/service.js';
import type { Capacity } from '../capacity/capacity.js';

/** What the app controller runs Studio apps with (docs/studio-apps.md). */
export interface AppDeps {
  readonly platform: Platform;
  readonly runner: Runner;
  readonly capacity: Capacity;
  /** The interpreter that has Jupyter Notebook and ipykernel (Debian's /usr/bin/python3). */
  readonly python: string;
  /** An app whose Jupyter reports no activity for this long is deleted (0: never). */
  readonly idleTimeoutMs: number;
  /** How often a running app's api/status is read (health and idleness). */
  readonly checkIntervalMs: number;
  /** How long a new server may take to answer api/status. */
  readonly startTimeoutMs: number;
  readonly stopGraceMs: number;
  /** Clary's URL as seen from the host network (kernels of private-network apps use 169.254.170.2 instead). */
  readonly endpoint: string;
}
