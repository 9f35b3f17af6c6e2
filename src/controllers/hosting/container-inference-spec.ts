import type { ContainerHandle, ContainerInstanceSpec } from '../../runners/container/index.js';
import type { InstanceHandle, InstanceSpec, LineSink } from '../../runners/runner.js';
import type { InferenceLanePlan } from './inference-lane.js';

export interface ContainerInferenceInput {
  readonly runnerId: string;
  readonly instanceId: string;
  readonly plan: Extract<InferenceLanePlan, { lane: 'container' }>;
  /** The model's Environment (transform jobs: merged with the job's and SAGEMAKER_BATCH). */
  readonly environment: Readonly<Record<string, string>>;
  readonly hostname?: string;
  readonly modelDir: string;
  readonly region: string;
  readonly limits: InstanceSpec['limits'];
  /** A framework image's inference code staged from an S3 SAGEMAKER_SUBMIT_DIRECTORY: mounted at /opt/ml/code. */
  readonly codeDir?: string;
  /** Host file the runner writes when the image cannot run `serve`. */
  readonly startErrorFile: string;
  readonly onOutput: LineSink;
  readonly signal?: AbortSignal;
}

/**
 * A model server on the container lane, as SageMaker runs one: `docker run IMAGE serve`, the
 * model at /opt/ml/model (read-only), the container's Environment, the instance type's limits,
 * the server's port (8080, or SAGEMAKER_BIND_TO_PORT) published on a loopback port the engine
 * picks (handle.ports). The container is on the engine's bridge network: it cannot reach Clary's
 * loopback, so no AWS_ENDPOINT_URL is passed.
 */
export function containerInferenceSpec(input: ContainerInferenceInput): ContainerInstanceSpec {
  return {
    id: input.runnerId,
    image: input.plan.image,
    command: ['serve'],
    env: {
      ...input.environment,
      ...input.plan.env,
      AWS_REGION: input.environment.AWS_REGION ?? input.region,
      AWS_DEFAULT_REGION: input.environment.AWS_DEFAULT_REGION ?? input.region,
      ...(input.codeDir ? { SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/code' } : {}),
    },
    mounts: [{ hostPath: input.modelDir, sandboxPath: '/opt/ml/model', readOnly: true }, ...(input.codeDir ? [{ hostPath: input.codeDir, sandboxPath: '/opt/ml/code', readOnly: true }] : [])],
    workDir: undefined,
    limits: input.limits,
    // "host" = may use the network: with ports published the engine puts it on its bridge network.
    network: { mode: 'host' },
    publish: [{ containerPort: input.plan.containerPort, hostPort: 0 }],
    hostname: input.hostname || input.instanceId,
    startErrorFile: input.startErrorFile,
    onStdout: input.onOutput,
    onStderr: input.onOutput,
    signal: input.signal,
  };
}

/** The loopback port the engine published the server's port on (0 when it published none). */
export function publishedPort(handle: InstanceHandle | undefined, containerPort: number): number {
  return (handle as Partial<ContainerHandle> | undefined)?.ports?.[String(containerPort)] ?? 0;
}

/** Said in the log when a model asks for EnableNetworkIsolation on the container lane, which does not enforce it yet. */
export const ISOLATION_NOT_ENFORCED =
  "clary: EnableNetworkIsolation is not enforced on the container lane yet: the container is on the engine's bridge network (see docs/containers.md)";
