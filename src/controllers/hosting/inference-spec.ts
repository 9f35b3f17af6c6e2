import type { InstanceSpec, LineSink, MountSpec } from '../../runners/runner.js';
import type { FleetVariant } from '../../services/sagemaker/endpoints-fleet.js';
import type { InferencePlan } from './inference-plan.js';

export interface InferenceSpecInput {
  readonly runnerId: string;
  readonly instanceId: string;
  readonly variant: FleetVariant;
  readonly plan: Extract<InferencePlan, { ok: true }>;
  readonly port: number;
  readonly modelDir: string;
  readonly codeDir?: string;
  readonly toolkitPath: string;
  /** Clary's URL (AWS_ENDPOINT_URL), withheld under network isolation. */
  readonly endpoint: string;
  readonly region: string;
  readonly limits: InstanceSpec['limits'];
  readonly onOutput: LineSink;
  readonly signal?: AbortSignal;
}

/**
 * One endpoint instance's sandbox: `python -m clary_inference serve` with the model at
 * /opt/ml/model (read-only), listening on its loopback port (the machine's network: Clary proxies
 * to it), the model's Environment plus SageMaker's serving variables.
 */
export function inferenceInstanceSpec(input: InferenceSpecInput): InstanceSpec {
  const { variant, plan } = input;
  const container = variant.model.container;
  const mounts: MountSpec[] = [
    { hostPath: input.modelDir, sandboxPath: '/opt/ml/model', readOnly: true },
    { hostPath: input.toolkitPath, sandboxPath: '/opt/clary/toolkit', readOnly: true },
  ];
  if (input.codeDir) mounts.push({ hostPath: input.codeDir, sandboxPath: '/opt/ml/code', readOnly: true });
  const env: Record<string, string> = {
    ...(container.Environment ?? {}),
    SAGEMAKER_BIND_TO_PORT: String(input.port),
    SAGEMAKER_BIND_HOST: '127.0.0.1',
    CLARY_INFERENCE_FRAMEWORK: plan.framework,
    PYTHONPATH: '/opt/clary/toolkit',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    HOME: '/tmp',
    LANG: 'C.UTF-8',
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    SAGEMAKER_REGION: container.Environment?.SAGEMAKER_REGION ?? input.region,
  };
  if (input.codeDir) env.SAGEMAKER_SUBMIT_DIRECTORY = '/opt/ml/code';
  if (!variant.model.enableNetworkIsolation) {
    env.AWS_ENDPOINT_URL = input.endpoint;
    env.S3_ENDPOINT_URL = input.endpoint;
  }
  return {
    id: input.runnerId,
    command: [plan.interpreter, '-m', 'clary_inference', 'serve'],
    env,
    mounts,
    workDir: '/opt/ml/model',
    limits: input.limits,
    // Clary reaches the server on the machine's loopback; isolation withholds credentials and endpoint instead.
    network: { mode: 'host' },
    hostname: container.ContainerHostname || input.instanceId,
    onStdout: input.onOutput,
    onStderr: input.onOutput,
    signal: input.signal,
  };
}
