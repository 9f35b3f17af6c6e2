import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE, waitForJob, XGBOOST_IMAGE } from '../training/support.js';
import { deploy, waitForEndpoint, removeAllEndpoints } from './support.js';

/** y = 2·x1 − x2 + 0.5·x3; label first, no header (text/csv), as the built-in algorithm reads it. */
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const x1 = ((i * 37) % 100) / 10;
    const x2 = ((i * 53 + 7) % 100) / 10;
    const x3 = ((i * 11 + 3) % 50) / 5;
    return [2 * x1 - x2 + 0.5 * x3, x1, x2, x3].map((v) => v.toFixed(4)).join(',');
  }).join('\n');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'xgb-host');
  await putText(server, 'xgb-host', 'data/train/train.csv', rows(400));
});
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

describe('the built-in XGBoost algorithm, trained and served', () => {
  it('serves the model of a built-in training job and predicts text/csv', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'xgb-train',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: { objective: 'reg:squarederror', num_round: '40', max_depth: '4', eta: '0.3' },
        InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://xgb-host/data/train/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://xgb-host/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const job = await waitForJob(server, 'xgb-train', 180_000);
    expect(job.FailureReason).toBeUndefined();

    // The SageMaker XGBoost image without SAGEMAKER_PROGRAM: the built-in algorithm's server.
    await deploy(server, 'xgb-ep', { Image: XGBOOST_IMAGE, ModelDataUrl: job.ModelArtifacts!.S3ModelArtifacts! });
    const d = await waitForEndpoint(server, 'xgb-ep');
    expect(d.FailureReason).toBeUndefined();
    expect(d.EndpointStatus).toBe('InService');

    const out = await new SageMakerRuntimeClient(server.clientConfig).send(
      new InvokeEndpointCommand({ EndpointName: 'xgb-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('7.0,3.7,2.6\n3.7,6.0,2.8') }),
    );
    const predictions = new TextDecoder().decode(out.Body).trim().split(/[\n,]/).map(Number);
    expect(predictions).toHaveLength(2);
    // Two rows of the training data (y = 11.6 and 2.8): a model that learned nothing is several units off.
    expect(Math.abs(predictions[0]! - 11.6)).toBeLessThan(1);
    expect(Math.abs(predictions[1]! - 2.8)).toBeLessThan(1);
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
  }, 240_000);
});
