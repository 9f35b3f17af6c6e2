import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE, SKLEARN_IMAGE, sdkHyperParameters, tarEntries, uploadSourceDir, waitForJob } from './support.js';

const TRAIN_PY = `
import argparse, os, pickle, sys
import numpy as np
from sklearn.linear_model import LinearRegression
p = argparse.ArgumentParser()
p.add_argument("--fit-intercept", type=str, default="True")
args = p.parse_args()
print("argv", sys.argv[1:], "hosts", os.environ["SM_HOSTS"], flush=True)
data = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")
model = LinearRegression(fit_intercept=args.fit_intercept == "True").fit(data[:, 1:], data[:, 0])
mse = float(((model.predict(data[:, 1:]) - data[:, 0]) ** 2).mean())
print(f"train mse={mse:.6f};", flush=True)
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.pkl"), "wb") as f:
    pickle.dump(model, f)
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  const rows = Array.from({ length: 50 }, (_, i) => `${3 * i + 1},${i}`).join('\n');
  await putText(server, 'ml-data', 'data/train/train.csv', rows);
});
afterAll(async () => {
  await server?.close();
});

const job = (name: string, source: string, extra: Record<string, unknown> = {}) =>
  new CreateTrainingJobCommand({
    TrainingJobName: name,
    RoleArn: ROLE,
    AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'train:mse', Regex: 'train mse=([0-9.]+);' }] },
    HyperParameters: sdkHyperParameters({ 'fit-intercept': true, sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/data/train/' } } }],
    OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
    ...extra,
  });

describe('script mode on the process lane', () => {
  it('runs the user script with scikit-learn, reports metrics and logs, and uploads model.tar.gz', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/sourcedir.tar.gz', { 'train.py': TRAIN_PY });
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(job('sklearn-ok', source));
    const d = await waitForJob(server, 'sklearn-ok');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);
    expect(d.FinalMetricDataList?.[0]).toMatchObject({ MetricName: 'train:mse' });
    expect(d.FinalMetricDataList![0]!.Value!).toBeLessThan(1e-6);
    expect(d.BillableTimeInSeconds).toBeGreaterThanOrEqual(1);
    expect(d.ModelArtifacts?.S3ModelArtifacts).toBe('s3://ml-data/output/sklearn-ok/output/model.tar.gz');

    expect(await tarEntries(server, 'ml-data', 'output/sklearn-ok/output/model.tar.gz')).toContain('model.pkl');

    const logs = await new CloudWatchLogsClient(server.clientConfig).send(
      new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: 'sklearn-ok/algo-1-' }),
    );
    const text = (logs.events ?? []).map((e) => e.message).join('\n');
    expect(text).toContain("argv ['--fit-intercept', 'True'] hosts [\"algo-1\"]");
  });

  it('a script that raises fails the job with the toolkit-format reason', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/bad.tar.gz', { 'train.py': 'raise ValueError("bad hyperparameter combination")\n' });
    await new SageMakerClient(server.clientConfig).send(job('sklearn-raises', source));
    const d = await waitForJob(server, 'sklearn-raises');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^AlgorithmError: ExecuteUserScriptError:\nExitCode 1\nErrorMessage "[\s\S]*ValueError: bad hyperparameter combination/);
  });

  it('an empty input prefix fails the job with a clear reason', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/ok2.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      job('sklearn-nodata', source, { InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/nothing-here/' } } }] }),
    );
    const d = await waitForJob(server, 'sklearn-nodata');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toContain('No S3 objects found under S3 URL "s3://ml-data/nothing-here/"');
  });

  it('StopTrainingJob stops a running job (SIGTERM first) and still uploads the model', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/slow.tar.gz', {
      'train.py': 'import os, signal, sys, time\n' +
        'def bye(*_):\n    open(os.path.join(os.environ["SM_MODEL_DIR"], "checkpoint.txt"), "w").write("saved on SIGTERM")\n    sys.exit(0)\n' +
        'signal.signal(signal.SIGTERM, bye)\nprint("ready", flush=True)\ntime.sleep(300)\n',
    });
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(job('sklearn-stop', source));
    await waitForJob(server, 'sklearn-stop', 60_000, ['Training']);
    await new Promise((r) => setTimeout(r, 1500));
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'sklearn-stop' }));
    const d = await waitForJob(server, 'sklearn-stop');
    expect(d.TrainingJobStatus).toBe('Stopped');
    expect(d.SecondaryStatus).toBe('Stopped');
    expect(await tarEntries(server, 'ml-data', 'output/sklearn-stop/output/model.tar.gz')).toContain('checkpoint.txt');
  });
});
