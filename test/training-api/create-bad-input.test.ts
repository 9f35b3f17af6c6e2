import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient, type CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { getServiceModel } from '../../src/models/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jobRequest } from './support.js';

let server: TestServer;
let sm: SageMakerClient;
beforeAll(async () => {
  server = await startTestServer();
  sm = new SageMakerClient(server.clientConfig);
});
afterAll(async () => {
  await server?.close();
});

const channel = (name: string, uri = 's3://data/x/') => ({ ChannelName: name, DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: uri } } });

/** Sends a request that must be refused, and checks that no job was stored. */
async function refused(input: CreateTrainingJobCommandInput, expected: { name: string; message: string | RegExp }) {
  await expect(sm.send(new CreateTrainingJobCommand(input))).rejects.toMatchObject({
    name: expected.name,
    message: typeof expected.message === 'string' ? expected.message : expect.stringMatching(expected.message),
    $metadata: { httpStatusCode: 400 },
  });
  await expect(sm.send(new DescribeTrainingJobCommand({ TrainingJobName: input.TrainingJobName }))).rejects.toMatchObject({ message: 'Requested resource not found.' });
}

describe('CreateTrainingJob refuses', () => {
  it('a missing ResourceConfig, AlgorithmSpecification or StoppingCondition, in AWS form', async () => {
    await refused(jobRequest('no-rc', { ResourceConfig: undefined }), {
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null",
    });
    await refused(jobRequest('no-all', { ResourceConfig: undefined, AlgorithmSpecification: undefined, StoppingCondition: undefined }), {
      name: 'ValidationException',
      message:
        "3 validation errors detected: Value null at 'algorithmSpecification' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'resourceConfig' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'stoppingCondition' failed to satisfy constraint: Member must not be null",
    });
  });

  it('an instance type not allowed for training, with the whole enum', async () => {
    const values = getServiceModel('sagemaker')!.shapes.TrainingInstanceType!.enum!;
    await refused(jobRequest('t2-job', { ResourceConfig: { InstanceType: 'ml.t2.medium' as never, InstanceCount: 1 } }), {
      name: 'ValidationException',
      message: `1 validation error detected: Value 'ml.t2.medium' at 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    });
  });

  it('InstanceCount 0 and a missing InstanceType', async () => {
    await refused(jobRequest('zero-count', { ResourceConfig: { InstanceCount: 0 } }), {
      name: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'resourceConfig.instanceType' failed to satisfy constraint: Member must not be null; " +
        "Value '0' at 'resourceConfig.instanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  it('a GPU type whose quota is 0, and a CPU type over its quota of 20', async () => {
    const tail = 'Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.';
    await refused(jobRequest('gpu-job', { ResourceConfig: { InstanceType: 'ml.g5.xlarge', InstanceCount: 1 } }), {
      name: 'ResourceLimitExceeded',
      message: `The account-level service limit 'ml.g5.xlarge for training job usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1 Instances. ${tail}`,
    });
    await refused(jobRequest('big-job', { ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 21 } }), {
      name: 'ResourceLimitExceeded',
      message: `The account-level service limit 'ml.m5.large for training job usage' is 20 Instances, with current utilization of 0 Instances and a request delta of 21 Instances. ${tail}`,
    });
  });

  it('malformed S3 URIs, naming the member', async () => {
    const constraint = 'failed to satisfy constraint: Member must be an S3 URI of the form s3://bucket/prefix';
    await refused(jobRequest('bad-out', { OutputDataConfig: { S3OutputPath: 's3://B/upper' } }), {
      name: 'ValidationException',
      message: `1 validation error detected: Value 's3://B/upper' at 'outputDataConfig.s3OutputPath' ${constraint}`,
    });
    await refused(jobRequest('bad-in', { InputDataConfig: [channel('train'), channel('test', 'https://data.s3.amazonaws.com/x')] }), {
      name: 'ValidationException',
      message: `1 validation error detected: Value 'https://data.s3.amazonaws.com/x' at 'inputDataConfig.2.member.dataSource.s3DataSource.s3Uri' ${constraint}`,
    });
    await refused(jobRequest('bad-ckpt', { CheckpointConfig: { S3Uri: 's3://x' } }), {
      name: 'ValidationException',
      message: `1 validation error detected: Value 's3://x' at 'checkpointConfig.s3Uri' ${constraint}`,
    });
  });

  it('21 channels, and duplicate channel names', async () => {
    await refused(jobRequest('many-channels', { InputDataConfig: Array.from({ length: 21 }, (_, i) => channel(`c${i}`)) }), {
      name: 'ValidationException',
      message: /^1 validation error detected: Value '\[\{ChannelName=c0, .*' at 'inputDataConfig' failed to satisfy constraint: Member must have length less than or equal to 20$/,
    });
    await refused(jobRequest('dup-channels', { InputDataConfig: [channel('train'), channel('test'), channel('train')] }), {
      name: 'ValidationException',
      message: 'Channel names must be unique within InputDataConfig: "train" appears more than once.',
    });
  });

  it('file-system and dataset sources, and algorithm resources, saying Clary does not support them', async () => {
    const fs = { ChannelName: 'train', DataSource: { FileSystemDataSource: { FileSystemId: 'fs-0123456789abcdef0', FileSystemAccessMode: 'ro' as const, FileSystemType: 'EFS' as const, DirectoryPath: '/data' } } };
    await refused(jobRequest('efs-job', { InputDataConfig: [fs] }), { name: 'ValidationException', message: /^FileSystemDataSource \(channel train\) is not supported by Clary/ });
    const ds = { ChannelName: 'train', DataSource: { DatasetSource: { DatasetArn: 'arn:aws:sagemaker:us-east-1:000000000000:hub-content/h/DataSet/d/1.0.0' } } };
    await refused(jobRequest('ds-job', { InputDataConfig: [ds] }), { name: 'ValidationException', message: /^DatasetSource \(channel train\) is not supported by Clary/ });
    await refused(jobRequest('algo-job', { AlgorithmSpecification: { AlgorithmName: 'my-algorithm', TrainingInputMode: 'File' } }), {
      name: 'ValidationException',
      message: /^AlgorithmSpecification\.AlgorithmName is not supported by Clary: algorithm resources/,
    });
    await refused(jobRequest('no-image', { AlgorithmSpecification: { TrainingInputMode: 'File' } }), {
      name: 'ValidationException',
      message: 'You must specify either AlgorithmName or TrainingImage in AlgorithmSpecification.',
    });
  });

  it('hyperparameters and environment outside the model, with the model messages', async () => {
    await refused(jobRequest('long-hp', { HyperParameters: { lr: 'x'.repeat(2501) } }), {
      name: 'ValidationException',
      message:
        /^1 validation error detected: Value '\{lr=x+(\.\.\.|\})' at 'hyperParameters' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 2500, /,
    });
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '1']));
    await refused(jobRequest('many-hp', { HyperParameters: many }), {
      name: 'ValidationException',
      message: /at 'hyperParameters' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    });
    await refused(jobRequest('bad-env', { Environment: { '1BAD': 'x' } }), {
      name: 'ValidationException',
      message: /at 'environment' failed to satisfy constraint: Map keys must satisfy constraint: \[.*Member must satisfy regular expression pattern: \[a-zA-Z_\]\[a-zA-Z0-9_\]\*\]$/,
    });
  });
});
