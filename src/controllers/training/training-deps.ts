import type { ContainerLane } from '../../runners/container/index.js';
import type { Runner } from '../../runners/runner.js';
import type { Platform } from '../../services/service.js';
import type { Capacity } from '../capacity/capacity.js';

/** What the training controller runs jobs with. */
export interface TrainingDeps {
  readonly platform: Platform;
  readonly runner: Runner;
  readonly capacity: Capacity;
  /** Where each job's /opt/ml trees live (under the data dir, hidden from every sandbox). */
  readonly jobsDir: string;
  /** runtimes/python: Clary's training toolkit, mounted read-only into each instance. */
  readonly toolkitPath: string;
  /** Clary's own URL, the AWS_ENDPOINT_URL of jobs. */
  readonly endpoint: string;
  /** StopTrainingJob's grace period between SIGTERM and SIGKILL (SageMaker: 120 s). */
  readonly stopGraceMs: number;
  /** The container lane, for jobs whose image is not a framework image (lane.ts); absent: such jobs fail. */
  readonly containers?: ContainerLane;
}
