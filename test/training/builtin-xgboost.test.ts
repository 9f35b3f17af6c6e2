import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { extract as tarExtract } from 'tar';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, ROLE, sdkHyperParameters, tarEntries, uploadSourceDir, waitForJob, XGBOOST_IMAGE } from './support.js';

const run = promisify(execFile);

// SageMaker's own MetricDefinitions for the built-in XGBoost algorithm (CloudWatch shows a tab as #011).
const NUMBER = '([-+]?[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)';
const METRICS = [
  { Name: 'validation:rmse', Regex: `.*\\[[0-9]+\\].*#011validation-rmse:${NUMBER}.*` },
  { Name: 'train:rmse', Regex: `.*\\[[0-9]+\\]#011train-rmse:${NUMBER}.*` },
];

/** y = 2·x1 − x2 + 0.5·x3 with a little deterministic noise; label first, no header (text/csv). */
const rows = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => {
    const x1 = ((i * 37 + seed) % 100) / 10;
    const x2 = ((i * 53 + seed * 7) % 100) / 10;
    const x3 = ((i * 11 + seed * 3) % 50) / 5;
    const noise = (((i * 7919 + seed) % 13) - 6) / 100;
    return [2 * x1 - x2 + 0.5 * x3 + noise, x1, x2, x3].map((v) => v.toFixed(4)).join(',');
  }).join('\n');

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'xgb');
  await putText(server, 'xgb', 'data/train/train.csv', rows(400, 1));
  await putText(server, 'xgb', 'data/validation/validation.csv', rows(100, 5));
});
afterAll(async () => {
  await server?.close();
});

const channel = (name: string) => ({
  ChannelName: name,
  ContentType: 'text/csv',
  DataSource: { S3DataSource: { S3DataType: 'S3Prefix' as const, S3Uri: `s3://xgb/data/${name}/`, S3DataDistributionType: 'FullyReplicated' as const } },
});

const xgbJob = (name: string, hyperParameters: Record<string, string>) =>
  new CreateTrainingJobCommand({
    TrainingJobName: name,
    RoleArn: ROLE,
    AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File', MetricDefinitions: METRICS },
    HyperParameters: hyperParameters,
    InputDataConfig: [channel('train'), channel('validation')],
    OutputDataConfig: { S3OutputPath: 's3://xgb/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
  });

describe('built-in XGBoost algorithm', () => {
  it('trains from train/validation text/csv channels, reports SageMaker-regex metrics and saves xgboost-model', async () => {
    // The built-in algorithm takes plain strings (no JSON encoding), as the console and boto3 send them.
    await new SageMakerClient(server.clientConfig).send(xgbJob('xgb-builtin', { objective: 'reg:squarederror', num_round: '20', max_depth: '3', eta: '0.3' }));
    const d = await waitForJob(server, 'xgb-builtin');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const metrics = Object.fromEntries((d.FinalMetricDataList ?? []).map((m) => [m.MetricName, m.Value]));
    expect(Object.keys(metrics).sort()).toEqual(['train:rmse', 'validation:rmse']);
    // The labels spread over about ±10: a model that learned nothing has an RMSE of several units.
    expect(metrics['train:rmse']).toBeGreaterThan(0);
    expect(metrics['train:rmse']).toBeLessThan(1);
    expect(metrics['validation:rmse']).toBeLessThan(2);

    // The final values are the last round's (round 19 of 20), as printed in the job's log.
    const log = await jobLogs(server, 'xgb-builtin/algo-1-');
    const last = /\[19\]\ttrain-rmse:([0-9.]+)\tvalidation-rmse:([0-9.]+)/.exec(log);
    expect(last, log).not.toBeNull();
    expect(metrics['train:rmse']).toBeCloseTo(Number(last![1]), 5);
    expect(metrics['validation:rmse']).toBeCloseTo(Number(last![2]), 5);
    expect(log).not.toMatch(/\[20\]\t/);

    expect(d.ModelArtifacts?.S3ModelArtifacts).toBe('s3://xgb/output/xgb-builtin/output/model.tar.gz');
    expect(await tarEntries(server, 'xgb', 'output/xgb-builtin/output/model.tar.gz')).toContain('xgboost-model');

    // The model is a real booster: XGBoost loads it and it predicts y = 2·x1 − x2 + 0.5·x3.
    const dir = await mkdtemp(join(tmpdir(), 'clary-xgb-model-'));
    try {
      const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'xgb', Key: 'output/xgb-builtin/output/model.tar.gz' }));
      await pipeline(got.Body as Readable, tarExtract({ cwd: dir }));
      const { stdout } = await run('/usr/bin/python3', ['-c', `
import sys, numpy as np, xgboost as xgb
bst = xgb.Booster(); bst.load_model(sys.argv[1])
print(float(bst.predict(xgb.DMatrix(np.array([[5.0, 3.0, 4.0]])))[0]))
`, join(dir, 'xgboost-model')]);
      expect(Number(stdout.trim())).toBeCloseTo(2 * 5 - 3 + 0.5 * 4, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing required hyperparameter fails the job with the algorithm\'s ClientError, as SageMaker shows it', async () => {
    await new SageMakerClient(server.clientConfig).send(xgbJob('xgb-no-rounds', { objective: 'reg:squarederror', max_depth: '3' }));
    const d = await waitForJob(server, 'xgb-no-rounds');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: .*num_round/);
  });

  it('with sagemaker_program the same image runs the user\'s script with XGBoost (framework mode)', async () => {
    const source = await uploadSourceDir(server, 'xgb', 'code/xgb-script.tar.gz', {
      'train.py':
        'import argparse, os\nimport numpy as np, xgboost as xgb\n' +
        'p = argparse.ArgumentParser(); p.add_argument("--num-round", type=int); args = p.parse_args()\n' +
        'data = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")\n' +
        'bst = xgb.train({"max_depth": 3}, xgb.DMatrix(data[:, 1:], label=data[:, 0]), num_boost_round=args.num_round)\n' +
        'print("framework mode xgboost", xgb.__version__, "trees", len(bst.get_dump()), flush=True)\n' +
        'bst.save_model(os.path.join(os.environ["SM_MODEL_DIR"], "script-model.json"))\n',
    });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'xgb-script',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: XGBOOST_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: sdkHyperParameters({ 'num-round': 7, sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
        InputDataConfig: [channel('train')],
        OutputDataConfig: { S3OutputPath: 's3://xgb/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await waitForJob(server, 'xgb-script');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(await jobLogs(server, 'xgb-script/algo-1-')).toMatch(/framework mode xgboost 1\.7\.\d+ trees 7/);
    expect(await tarEntries(server, 'xgb', 'output/xgb-script/output/model.tar.gz')).toEqual(['script-model.json']);
  });
});
