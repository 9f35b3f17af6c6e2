import { validationException } from '../../core/errors.js';
import type { Channel, CreateTrainingJobRequest } from '../../generated/types/sagemaker.js';

/**
 * CreateTrainingJob's checks beyond the official model (which the pipeline has already applied:
 * types, lengths, patterns, enums, ≤ 20 channels, ≤ 100 hyperparameters of ≤ 256/2500 characters,
 * Environment key pattern). Constraint failures are collected into one message in Coral's form
 * ("2 validation errors detected: Value null at 'resourceConfig' failed to satisfy constraint: …");
 * what Clary does not support is refused with a message that says so.
 */

/** A request that passed: the members the model makes optional for serverless jobs are present. */
export type ValidTrainingJobRequest = CreateTrainingJobRequest &
  Required<Pick<CreateTrainingJobRequest, 'AlgorithmSpecification' | 'StoppingCondition'>> & {
    ResourceConfig: NonNullable<CreateTrainingJobRequest['ResourceConfig']> & { InstanceType: string; InstanceCount: number };
  };

/** s3://bucket[/prefix]: a bucket name S3 accepts (3–63 of a-z 0-9 . -, starting and ending alphanumeric). */
const S3_URI = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/s;
const S3_URI_CONSTRAINT = 'Member must be an S3 URI of the form s3://bucket/prefix';

export const isS3Uri = (uri: string): boolean => S3_URI.test(uri);

class Violations {
  readonly list: string[] = [];
  add(value: unknown, path: string, constraint: string): void {
    const shown = value === undefined || value === null ? 'Value null' : `Value '${String(value)}'`;
    this.list.push(`${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
  }
  required(value: unknown, path: string): void {
    if (value === undefined || value === null) this.add(null, path, 'Member must not be null');
  }
  s3Uri(value: string | undefined, path: string): void {
    if (value !== undefined && !isS3Uri(value)) this.add(value, path, S3_URI_CONSTRAINT);
  }
  throwIfAny(): void {
    const n = this.list.length;
    if (n > 0) throw validationException(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`);
  }
}

const unsupported = (what: string, instead: string) => validationException(`${what} is not supported by Clary: ${instead}`);

function checkChannels(channels: Channel[], v: Violations): void {
  const seen = new Set<string>();
  channels.forEach((c, i) => {
    const path = `inputDataConfig.${i + 1}.member.dataSource`;
    if (c.DataSource.FileSystemDataSource) throw unsupported(`FileSystemDataSource (channel ${c.ChannelName})`, 'EFS and FSx for Lustre sources are not available; use S3DataSource.');
    if (c.DataSource.DatasetSource) throw unsupported(`DatasetSource (channel ${c.ChannelName})`, 'hub datasets are not available; use S3DataSource.');
    if (seen.has(c.ChannelName)) throw validationException(`Channel names must be unique within InputDataConfig: "${c.ChannelName}" appears more than once.`);
    seen.add(c.ChannelName);
    const s3 = c.DataSource.S3DataSource;
    if (!s3) v.add(null, `${path}.s3DataSource`, 'Member must not be null');
    else v.s3Uri(s3.S3Uri, `${path}.s3DataSource.s3Uri`);
  });
}

export function validateCreateTrainingJob(input: CreateTrainingJobRequest): ValidTrainingJobRequest {
  if (input.ServerlessJobConfig) throw unsupported('ServerlessJobConfig', 'serverless training jobs are not available; give AlgorithmSpecification, ResourceConfig and StoppingCondition.');
  const v = new Violations();
  v.required(input.AlgorithmSpecification, 'algorithmSpecification');
  v.required(input.ResourceConfig, 'resourceConfig');
  v.required(input.StoppingCondition, 'stoppingCondition');
  const rc = input.ResourceConfig;
  if (rc && !rc.InstanceGroups?.length) {
    v.required(rc.InstanceType, 'resourceConfig.instanceType');
    if (rc.InstanceCount === undefined) v.required(rc.InstanceCount, 'resourceConfig.instanceCount');
    else if (rc.InstanceCount < 1) v.add(rc.InstanceCount, 'resourceConfig.instanceCount', 'Member must have value greater than or equal to 1');
  }
  v.s3Uri(input.OutputDataConfig.S3OutputPath, 'outputDataConfig.s3OutputPath');
  v.s3Uri(input.CheckpointConfig?.S3Uri, 'checkpointConfig.s3Uri');
  if (input.InputDataConfig) checkChannels(input.InputDataConfig, v);
  v.throwIfAny();

  const spec = input.AlgorithmSpecification!;
  if (spec.AlgorithmName !== undefined) {
    throw unsupported('AlgorithmSpecification.AlgorithmName', 'algorithm resources (and AWS Marketplace algorithms) are not available yet; give AlgorithmSpecification.TrainingImage.');
  }
  if (!spec.TrainingImage) throw validationException('You must specify either AlgorithmName or TrainingImage in AlgorithmSpecification.');
  if (rc!.InstanceGroups?.length) throw unsupported('ResourceConfig.InstanceGroups', 'heterogeneous clusters are not available; give InstanceType and InstanceCount.');
  if (rc!.TrainingPlanArn !== undefined) throw unsupported('ResourceConfig.TrainingPlanArn', 'training plans are not available; leave TrainingPlanArn out.');
  return input as ValidTrainingJobRequest;
}
