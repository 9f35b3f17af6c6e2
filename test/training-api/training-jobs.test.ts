import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateTrainingJobCommand,
  DescribeTrainingJobCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { jobRequest } from './support.js';

let server: TestServer;
let sm: SageMakerClient;
beforeAll(async () => {
  // What the handlers record, before any controller acts on it (test/training/ runs jobs for real).
  server = await startTestServer({ controllers: false });
  sm = new SageMakerClient(server.clientConfig);
});
afterAll(async () => {
  await server?.close();
});

const ARN = (name: string) => `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`;

describe('CreateTrainingJob → DescribeTrainingJob', () => {
  it('stores the request and shows it back with SageMaker defaults, the ARN lower-cased', async () => {
    const before = Date.now();
    const req = jobRequest('Echo-Job-1', {
      HyperParameters: { epochs: '3', sagemaker_program: '"train.py"' },
      Environment: { MY_FLAG: '1' },
      OutputDataConfig: { S3OutputPath: 's3://out/models/' },
      CheckpointConfig: { S3Uri: 's3://out/checkpoints' },
      RetryStrategy: { MaximumRetryAttempts: 2 },
      ExperimentConfig: { ExperimentName: 'exp', TrialName: 'trial' },
      VpcConfig: { SecurityGroupIds: ['sg-1'], Subnets: ['subnet-1'] },
      EnableManagedSpotTraining: true,
      StoppingCondition: {},
    });
    const out = await sm.send(new CreateTrainingJobCommand(req));
    expect(out.TrainingJobArn).toBe(ARN('echo-job-1'));

    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'Echo-Job-1' }));
    expect(d).toMatchObject({
      TrainingJobName: 'Echo-Job-1',
      TrainingJobArn: ARN('echo-job-1'),
      TrainingJobStatus: 'InProgress',
      SecondaryStatus: 'Starting',
      ModelArtifacts: { S3ModelArtifacts: 's3://out/models/Echo-Job-1/output/model.tar.gz' },
      AlgorithmSpecification: req.AlgorithmSpecification,
      RoleArn: req.RoleArn,
      HyperParameters: req.HyperParameters,
      InputDataConfig: req.InputDataConfig,
      OutputDataConfig: { S3OutputPath: 's3://out/models/' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 86400 },
      VpcConfig: req.VpcConfig,
      EnableNetworkIsolation: false,
      EnableInterContainerTrafficEncryption: false,
      EnableManagedSpotTraining: true,
      CheckpointConfig: req.CheckpointConfig,
      Environment: req.Environment,
      RetryStrategy: req.RetryStrategy,
      ExperimentConfig: req.ExperimentConfig,
    });
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect(d.CreationTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(d.LastModifiedTime).toBeInstanceOf(Date);
    expect(d.SecondaryStatusTransitions).toEqual([{ Status: 'Starting', StartTime: d.CreationTime, StatusMessage: 'Starting the training job' }]);
    // Not set until the controller has run the job; never faked.
    for (const k of ['TrainingStartTime', 'TrainingEndTime', 'TrainingTimeInSeconds', 'BillableTimeInSeconds', 'FinalMetricDataList', 'FailureReason'] as const) {
      expect(d[k], k).toBeUndefined();
    }
  });

  it('keeps the request values where they are given', async () => {
    await sm.send(new CreateTrainingJobCommand(jobRequest('given-values', { ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 5 }, EnableNetworkIsolation: true })));
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'given-values' }));
    expect(d.ResourceConfig).toEqual({ InstanceType: 'ml.m5.xlarge', InstanceCount: 2, VolumeSizeInGB: 5 });
    expect(d.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(d.EnableNetworkIsolation).toBe(true);
    expect(d.ModelArtifacts?.S3ModelArtifacts).toBe('s3://out/models/given-values/output/model.tar.gz');
  });

  it('a duplicate name is ResourceInUse with the ARN, also when only the case differs', async () => {
    await sm.send(new CreateTrainingJobCommand(jobRequest('dup-job')));
    const message = `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${ARN('dup-job')})`;
    await expect(sm.send(new CreateTrainingJobCommand(jobRequest('dup-job')))).rejects.toMatchObject({ name: 'ResourceInUse', message, $metadata: { httpStatusCode: 400 } });
    await expect(sm.send(new CreateTrainingJobCommand(jobRequest('DUP-job')))).rejects.toMatchObject({ name: 'ResourceInUse', message });
  });

  it('a missing job is ValidationException "Requested resource not found." for Describe and Stop', async () => {
    for (const cmd of [new DescribeTrainingJobCommand({ TrainingJobName: 'no-such-job' }), new StopTrainingJobCommand({ TrainingJobName: 'no-such-job' })]) {
      await expect(sm.send(cmd as DescribeTrainingJobCommand)).rejects.toMatchObject({ name: 'ValidationException', message: 'Requested resource not found.' });
    }
  });
});

describe('StopTrainingJob', () => {
  it('records the intent: Stopping, with a transition; a second stop changes nothing', async () => {
    await sm.send(new CreateTrainingJobCommand(jobRequest('stop-me')));
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'stop-me' }));
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'stop-me' }));
    expect(d.TrainingJobStatus).toBe('Stopping');
    expect(d.SecondaryStatus).toBe('Stopping');
    expect(d.SecondaryStatusTransitions?.map((t) => [t.Status, t.StatusMessage])).toEqual([
      ['Starting', 'Starting the training job'],
      ['Stopping', 'Stopping the training job'],
    ]);
    expect(d.SecondaryStatusTransitions?.[0]?.EndTime).toEqual(d.SecondaryStatusTransitions?.[1]?.StartTime);
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'stop-me' }));
    const again = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'stop-me' }));
    expect(again.SecondaryStatusTransitions).toHaveLength(2);
    const listed = await sm.send(new ListTrainingJobsCommand({ StatusEquals: 'Stopping' }));
    expect(listed.TrainingJobSummaries?.map((s) => s.TrainingJobName)).toEqual(['stop-me']);
  });

  it('a finished job is refused with SageMaker message', async () => {
    await sm.send(new CreateTrainingJobCommand(jobRequest('finished-job')));
    // What the controller writes when a job ends (no controller runs in this test).
    const rec = await server.app.platform.store.getResource<Record<string, unknown>>('training-job', 'finished-job');
    await server.app.platform.store.updateResource('training-job', 'finished-job', rec!.version, { doc: { ...rec!.doc, TrainingJobStatus: 'Completed', SecondaryStatus: 'Completed' }, status: 'Completed' });
    await expect(sm.send(new StopTrainingJobCommand({ TrainingJobName: 'finished-job' }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: 'The request was rejected because the training job is in status Completed.',
    });
  });
});
