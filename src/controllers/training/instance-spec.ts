import { instanceEndpoint } from '../../runners/network/service-address.js';
import { containerCredentialsUri } from '../../iam/job-credentials.js';
import type { InstanceSpec, MountSpec, PrivateNetworkLease } from '../../runners/runner.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import type { InstanceWorkspace } from './workspace.js';

/**
 * The sandbox of one training instance: the job's /opt/ml tree, FastFile channels read-only (they
 * are links to the store's immutable bytes), the toolkit, the contract's environment.
 */
export interface SpecInput {
  readonly job: TrainingJobDoc;
  readonly ws: InstanceWorkspace;
  readonly hosts: readonly string[];
  readonly command: readonly string[];
  readonly toolkitPath: string;
  readonly endpoint: string;
  readonly region: string;
  readonly limits: InstanceSpec['limits'];
  readonly fastFileChannels: readonly string[];
  /** Further writable mounts (a CheckpointConfig.LocalPath outside /opt/ml). */
  readonly extraMounts?: readonly MountSpec[];
  readonly onStdout: InstanceSpec['onStdout'];
  readonly onStderr: InstanceSpec['onStderr'];
  /** The job's private network (Runner.reservePrivateNetwork); without it the hosts share the machine's network. */
  readonly network?: PrivateNetworkLease;
  /** The job's container-credentials token (src/iam/job-credentials.ts), when its execution role exists in Clary. */
  readonly credentialsToken?: string;
}

export function trainingInstanceSpec(input: SpecInput): InstanceSpec {
  const { job, ws } = input;
  const mounts: MountSpec[] = [
    { hostPath: ws.root, sandboxPath: '/opt/ml', readOnly: false },
    ...input.fastFileChannels.map((c) => ({ hostPath: `${ws.inputData}/${c}`, sandboxPath: `/opt/ml/input/data/${c}`, readOnly: true })),
    ...(input.extraMounts ?? []),
    { hostPath: input.toolkitPath, sandboxPath: '/opt/clary/toolkit', readOnly: true },
  ];
  const env: Record<string, string> = {
    ...(job.Environment ?? {}),
    TRAINING_JOB_NAME: job.TrainingJobName,
    TRAINING_JOB_ARN: job.TrainingJobArn,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    PYTHONPATH: '/opt/clary/toolkit',
    PYTHONUNBUFFERED: '1',
    HOME: '/tmp',
    LANG: 'C.UTF-8',
  };
  // On a private network Clary is at the service address (docs/networking.md), not on loopback.
  const endpoint = input.network ? instanceEndpoint(new URL(input.endpoint).port || 80) : input.endpoint;
  if (!job.EnableNetworkIsolation) {
    env.AWS_ENDPOINT_URL = endpoint;
    env.S3_ENDPOINT_URL = endpoint;
    if (input.credentialsToken) {
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI = containerCredentialsUri(endpoint);
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN = input.credentialsToken;
    }
  }
  return {
    id: `${job.TrainingJobName}-${ws.host}`,
    command: input.command,
    env,
    mounts,
    workDir: '/opt/ml/code',
    limits: input.limits,
    network: job.EnableNetworkIsolation
      ? { mode: 'none' }
      : input.network
        ? { mode: 'private', network: input.network.network, address: input.network.addresses[ws.host] }
        : { mode: 'host' },
    hostname: ws.host,
    // On the job's private network algo-N are their addresses there; otherwise (isolated, or no
    // private networks on this machine) the hosts share the machine's loopback.
    extraHosts: input.network && !job.EnableNetworkIsolation ? { ...input.network.addresses } : Object.fromEntries(input.hosts.map((h) => [h, '127.0.0.1'])),
    onStdout: input.onStdout,
    onStderr: input.onStderr,
  };
}
