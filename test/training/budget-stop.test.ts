import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { setBudget } from '../../src/compute/metering/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE, SKLEARN_IMAGE, sdkHyperParameters, uploadSourceDir, waitForJob } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'budget-data');
  await putText(server, 'budget-data', 'in/x.csv', '1,2\n');
});
afterAll(async () => {
  await server?.close();
});

/** A budget with stopRunningWork stops its owner's running job once it is exhausted. */
describe('budgets and running work', () => {
  it('stops a running job of a user whose budget is exhausted', async () => {
    const source = await uploadSourceDir(server, 'budget-data', 'code/s.tar.gz', { 'train.py': 'import time\nprint("working", flush=True)\ntime.sleep(120)\n' });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'carols-job',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://budget-data/in/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://budget-data/out' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        Tags: [
          { Key: 'sagemaker:domain-arn', Value: 'arn:aws:sagemaker:us-east-1:000000000000:domain/d-budget1' },
          { Key: 'sagemaker:user-profile-arn', Value: 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/d-budget1/carol' },
        ],
      }),
    );
    expect((await waitForJob(server, 'carols-job', 60_000, ['Training'])).SecondaryStatus).toBe('Training');
    await setBudget(server.app.platform.store, { target: { scope: 'user', domainId: 'd-budget1', userProfileName: 'carol' }, usdPerMonth: 0, stopRunningWork: true }, Date.now());
    const d = await waitForJob(server, 'carols-job', 60_000);
    expect(d.TrainingJobStatus).toBe('Stopped');
  });
});
