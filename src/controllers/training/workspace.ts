import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TrainingJobDoc as TrainingJobState } from '../../services/sagemaker/training-jobs-doc.js';

/**
 * One instance's /opt/ml tree on the host, laid out as the training container contract says
 * (docs: §4.1 of the contract): input/config/{hyperparameters,inputdataconfig,resourceconfig}.json,
 * input/data/<channel>, model, output/data, checkpoints, code.
 */
export interface InstanceWorkspace {
  readonly host: string;
  readonly root: string;
  readonly inputData: string;
  readonly model: string;
  readonly output: string;
  readonly outputData: string;
  readonly checkpoints: string;
  readonly code: string;
}

export const hostNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `algo-${i + 1}`);

export function workspaceFor(jobsDir: string, jobName: string, host: string): InstanceWorkspace {
  const root = join(jobsDir, jobName, host);
  return {
    host,
    root,
    inputData: join(root, 'input', 'data'),
    model: join(root, 'model'),
    output: join(root, 'output'),
    outputData: join(root, 'output', 'data'),
    checkpoints: join(root, 'checkpoints'),
    code: join(root, 'code'),
  };
}

export async function writeWorkspaceConfig(ws: InstanceWorkspace, job: TrainingJobState): Promise<void> {
  const config = join(ws.root, 'input', 'config');
  for (const d of [config, ws.inputData, ws.model, ws.outputData, ws.checkpoints, ws.code, join(ws.output, 'intermediate')]) {
    await mkdir(d, { recursive: true });
  }
  const instanceType = job.ResourceConfig?.InstanceType ?? 'ml.m5.large';
  const hosts = hostNames(job.ResourceConfig?.InstanceCount ?? 1);
  const inputdata: Record<string, Record<string, string>> = {};
  for (const c of job.InputDataConfig ?? []) {
    inputdata[c.ChannelName] = {
      ...(c.ContentType ? { ContentType: c.ContentType } : {}),
      TrainingInputMode: c.InputMode ?? job.AlgorithmSpecification?.TrainingInputMode ?? 'File',
      S3DistributionType: c.DataSource.S3DataSource?.S3DataDistributionType ?? 'FullyReplicated',
      RecordWrapperType: c.RecordWrapperType ?? 'None',
    };
  }
  const resource = {
    current_host: ws.host,
    current_instance_type: instanceType,
    current_group_name: 'homogeneousCluster',
    hosts,
    instance_groups: [{ instance_group_name: 'homogeneousCluster', instance_type: instanceType, hosts }],
    network_interface_name: 'eth0',
  };
  await writeFile(join(config, 'hyperparameters.json'), JSON.stringify(job.HyperParameters ?? {}));
  await writeFile(join(config, 'inputdataconfig.json'), JSON.stringify(inputdata));
  await writeFile(join(config, 'resourceconfig.json'), JSON.stringify(resource));
}
