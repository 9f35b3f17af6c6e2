import type { ContainerLane } from '../../runners/container/index.js';
import type { Runner } from '../../runners/runner.js';
import type { Platform } from '../../services/service.js';
import type { Capacity } from '../capacity/capacity.js';
import type { InvocationObserver } from './invocation-observer.js';
import type { ModelArtifacts } from './model-artifacts.js';
import type { RoutingTable } from './routing-table.js';

/** What the hosting controller runs endpoints with. */
export interface HostingDeps {
  readonly platform: Platform;
  /** Both lanes (LaneRunner): a container spec runs on the container lane. */
  readonly runner: Runner;
  /** The container lane, for models whose image is not a framework image (absent: such models fail). */
  readonly containers?: ContainerLane;
  readonly capacity: Capacity;
  readonly artifacts: ModelArtifacts;
  /** Where InvokeEndpoint finds healthy instances; the controller keeps it current. */
  readonly routes: RoutingTable;
  /** runtimes/python: holds clary_inference, mounted read-only into each instance. */
  readonly toolkitPath: string;
  /** Clary's own URL (AWS_ENDPOINT_URL of model servers). */
  readonly endpoint: string;
  /** SIGTERM → SIGKILL grace when an instance is stopped (SageMaker: 30 s). */
  readonly stopGraceMs: number;
  /** How often a serving instance is pinged, and how many failed pings in a row replace it. */
  readonly pingIntervalMs: number;
  readonly pingFailures: number;
}

export type { InvocationObserver };
