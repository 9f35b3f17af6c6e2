import type { InstanceSpec } from '../runner.js';

/**
 * An InstanceSpec with what only the container lane needs. `command` is the container's CMD;
 * the image's ENTRYPOINT stays unless `entrypoint` replaces it — so `docker run IMAGE train` is
 * `{ image, command: ['train'] }`, and a process-lane style argv (`['/bin/sh', '-c', …]`) works
 * unchanged on an image without an ENTRYPOINT (the runner's default image has none).
 */
export interface ContainerInstanceSpec extends InstanceSpec {
  /** A local image name or id (resolve TrainingImage URIs with src/images first). Default: the runner's defaultImage. */
  readonly image?: string;
  /** Replaces the image's ENTRYPOINT (SageMaker's ContainerEntrypoint); `[]` clears it. */
  readonly entrypoint?: readonly string[];
  /**
   * Host file to write when the engine cannot run the command (not found, not executable): the
   * training contract's /opt/ml/output/failure, so the job's FailureReason says why.
   */
  readonly startErrorFile?: string;
  /**
   * Ports to publish (for model servers: `serve` on 8080). The container then runs on the
   * engine's default bridge network instead of the host's (network.mode must be `host`, meaning
   * "may use the network"); inside, 127.0.0.1 is its own. Host ports are on 127.0.0.1 unless
   * hostIp says otherwise; hostPort 0 lets the engine pick (read it from handle.ports).
   */
  readonly publish?: readonly PortPublish[];
}

export interface PortPublish {
  readonly containerPort: number;
  readonly hostPort: number;
  readonly hostIp?: string;
}
