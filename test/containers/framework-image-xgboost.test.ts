import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { execFileSync, spawnSync } from 'node:child_process';
import { ownerOf } from '../../src/runners/container/index.js';
import { podmanSkipReason } from '../support/busybox-image.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deploy, removeAllEndpoints, waitForEndpoint } from '../hosting/support.js';
import { createBucket, putText, ROLE, tarEntries, waitForJob, XGBOOST_IMAGE } from '../training/support.js';

/**
 * The XGBoost framework image on the container lane: the built-in algorithm (no user script)
 * trains with `xgboost-train` and its model is served by the image's `serve`. Building the image
 * takes minutes (framework-image.test.ts builds sklearn's); this runs where `clary images build
 * xgboost` has been run, and says so where it has not.
 */
const notBuilt = podmanSkipReason() || (spawnSync('podman', ['image', 'exists', 'clary/xgboost:latest']).status === 0 ? '' : 'clary/xgboost:latest is not built: run `clary images build xgboost`');
let server: TestServer;

/** y = 2·x1 − x2 + 0.5·x3, label first, no header. */
const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const [x1, x2, x3] = [(i * 37) % 100 / 10, (i * 53) % 100 / 10, (i * 11) % 50 / 5];
    return [2 * x1 - x2 + 0.5 * x3, x1, x2, x3].map((v) => v.toFixed(4)).join(',');
  }).join('\n');

describe.skipIf(notBuilt !== '')(`the XGBoost framework image on the container lane${notBuilt ? ` (skipped: ${notBuilt})` : ''}`, () => {
  beforeAll(async () => {
    server = await startTestServer({}, { CLARY_RUNTIME_LANES: 'xgboost=container' });
    await createBucket(server, 'xgb');
    await putText(server, 'xgb', 'data/train/train.csv', rows(300));
  });
  afterAll(async () => {
    const owner = server && ownerOf(server.dataDir);
    if (server) await removeAllEndpoints(server);
    await server?.close();
    if (owner) {
      const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${owner}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
    }
  });

  it('the built-in algorithm trains in the image and its model is served by the same image', { timeout: 10 * 60_000 }, async () => {
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'xgb-in-container',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: { objective: 'reg:squarederror', num_round: '30', max_depth: '4' },
        InputDataConfig: [{ ChannelName: 'train', ContentType: 'text/csv', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://xgb/data/train/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://xgb/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await waitForJob(server, 'xgb-in-container', 8 * 60_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(d.SecondaryStatusTransitions?.find((t) => t.Status === 'Starting')?.StatusMessage).toContain(
      'container lane: runtime xgboost is configured for containers (CLARY_RUNTIME_LANES); built-in XGBoost algorithm in',
    );
    expect(await tarEntries(server, 'xgb', 'output/xgb-in-container/output/model.tar.gz')).toContain('xgboost-model');

    await deploy(server, 'xgb-in-container', { Image: XGBOOST_IMAGE, ModelDataUrl: 's3://xgb/output/xgb-in-container/output/model.tar.gz' });
    const e = await waitForEndpoint(server, 'xgb-in-container', ['InService', 'Failed'], 8 * 60_000);
    expect(e.FailureReason).toBeUndefined();
    expect(e.EndpointStatus).toBe('InService');
    const out = await new SageMakerRuntimeClient(server.clientConfig).send(
      new InvokeEndpointCommand({ EndpointName: 'xgb-in-container', ContentType: 'text/csv', Body: new TextEncoder().encode('5,3,4') }),
    );
    // A real booster's prediction of 2·5 − 3 + 0.5·4 = 9 (30 rounds on 300 rows: within a unit or so).
    expect(Math.abs(Number(new TextDecoder().decode(out.Body).trim()) - 9)).toBeLessThan(1.5);
  });
});
