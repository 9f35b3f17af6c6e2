import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, SKLEARN_IMAGE, tarEntries, uploadSourceDir } from './support.js';

const run = promisify(execFile);

const TRAIN_PY = `
import os, pickle
import numpy as np
from sklearn.linear_model import LinearRegression
data = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")
model = LinearRegression().fit(data[:, 1:], data[:, 0])
print(f"train mse={float(((model.predict(data[:, 1:]) - data[:, 0]) ** 2).mean()):.6f};", flush=True)
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.pkl"), "wb") as f:
    pickle.dump(model, f)
with open(os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "report.txt"), "w") as f:
    f.write("coef %s" % model.coef_)
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'data/train/train.csv', Array.from({ length: 50 }, (_, i) => `${3 * i + 1},${i}`).join('\n'));
});
afterAll(async () => {
  await server?.close();
});

describe('boto3 drives a training job end to end', () => {
  it('create_training_job, the training_job_completed_or_stopped waiter, then describe says Completed', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/sourcedir.tar.gz', { 'train.py': TRAIN_PY });
    const request = scriptJob('boto3-sklearn', source, {
      AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'train:mse', Regex: 'train mse=([0-9.]+);' }] },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/data/train/', S3DataDistributionType: 'FullyReplicated' } } }],
    });
    const script = `
import json, sys, boto3
sm = boto3.client("sagemaker")
req = json.loads(sys.argv[1])
sm.create_training_job(**req)
sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName=req["TrainingJobName"], WaiterConfig={"Delay": 1, "MaxAttempts": 120})
d = sm.describe_training_job(TrainingJobName=req["TrainingJobName"])
print(json.dumps({k: d.get(k) for k in ("TrainingJobStatus", "SecondaryStatus", "FailureReason", "ModelArtifacts", "FinalMetricDataList")}, default=str))
`;
    const { stdout } = await run('python3', ['-c', script, JSON.stringify(request)], { env: server.env, timeout: 150_000 });
    const d = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(d.FailureReason).toBeNull();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(d.SecondaryStatus).toBe('Completed');
    expect(d.ModelArtifacts).toEqual({ S3ModelArtifacts: 's3://ml-data/output/boto3-sklearn/output/model.tar.gz' });
    expect((d.FinalMetricDataList as { MetricName: string; Value: number }[])[0]).toMatchObject({ MetricName: 'train:mse' });
    expect(await tarEntries(server, 'ml-data', 'output/boto3-sklearn/output/model.tar.gz')).toContain('model.pkl');
    expect(await tarEntries(server, 'ml-data', 'output/boto3-sklearn/output/output.tar.gz')).toContain('report.txt');
  });

  it('plain (not JSON-encoded) hyperparameters, as hand-written boto3 code sends them, run the script the same way', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/plain.tar.gz', {
      'train.py': 'import sys\nprint("ARGS", sys.argv[1:], flush=True)\n',
    });
    const request = {
      ...scriptJob('boto3-plain-hp', source),
      HyperParameters: { sagemaker_program: 'train.py', sagemaker_submit_directory: source, epochs: '3', name: 'two words' },
    };
    const script = `
import json, sys, boto3
sm = boto3.client("sagemaker")
req = json.loads(sys.argv[1])
sm.create_training_job(**req)
sm.get_waiter("training_job_completed_or_stopped").wait(TrainingJobName=req["TrainingJobName"], WaiterConfig={"Delay": 1, "MaxAttempts": 120})
d = sm.describe_training_job(TrainingJobName=req["TrainingJobName"])
print(json.dumps({"status": d["TrainingJobStatus"], "reason": d.get("FailureReason")}))
`;
    const { stdout } = await run('python3', ['-c', script, JSON.stringify(request)], { env: server.env, timeout: 150_000 });
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ status: 'Completed', reason: null });
    expect(await jobLogs(server, 'boto3-plain-hp/algo-1-')).toContain("ARGS ['--epochs', '3', '--name', 'two words']");
  });
});
