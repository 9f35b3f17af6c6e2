import type { ContainerLane } from '../../runners/container/index.js';
import type { Runner } from '../../runners/runner.js';
import type { Platform } from '../../services/service.js';
import type { Capacity } from '../capacity/capacity.js';
import type { ModelArtifacts } from '../hosting/model-artifacts.js';

/** What the transform controller runs jobs with. */
export interface TransformDeps {
  readonly platform: Platform;
  /** A process runner on its own run root (swept at start: every unfinished job starts again). */
  readonly runner: Runner;
  /** The container lane, for models whose image is not a framework image (absent: such jobs fail). */
  readonly containers?: ContainerLane;
  readonly capacity: Capacity;
  readonly artifacts: ModelArtifacts;
  /** runtimes/python: holds clary_inference. */
  readonly toolkitPath: string;
  /** Clary's own URL (AWS_ENDPOINT_URL of model servers). */
  readonly endpoint: string;
  /** SIGTERM → SIGKILL grace when instances are stopped. */
  readonly stopGraceMs: number;
}
