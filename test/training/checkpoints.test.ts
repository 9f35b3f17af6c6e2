import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, StopTrainingJobCommand, DescribeTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/**
 * Prints what the checkpoint directory holds at start (a resumed run finds the last run's files),
 * writes this run's checkpoint, then: `stop` waits for StopTrainingJob and writes one more file in
 * its SIGTERM handler; `fail` exits 1; `done` completes.
 */
const TRAIN_PY = `
import json, os, signal, sys, time
run = sys.argv[sys.argv.index("--run") + 1]
then = sys.argv[sys.argv.index("--then") + 1]
ckpt = os.environ.get("CKPT_DIR", "/opt/ml/checkpoints")
found = {}
for base, _, files in os.walk(ckpt):
    for f in files:
        p = os.path.join(base, f)
        with open(p) as fh:
            found[os.path.relpath(p, ckpt)] = fh.read()
print("FOUND " + json.dumps(found, sort_keys=True), flush=True)
os.makedirs(os.path.join(ckpt, "state"), exist_ok=True)
with open(os.path.join(ckpt, "state", "step-%s.json" % run), "w") as fh:
    fh.write(json.dumps({"run": run, "resumed_from": sorted(found)}))
with open(os.path.join(ckpt, "latest"), "w") as fh:
    fh.write(run)
print("WROTE " + run, flush=True)
if then == "fail":
    sys.exit(1)
if then == "stop":
    def on_term(*_):
        with open(os.path.join(ckpt, "on-stop.txt"), "w") as fh:
            fh.write("saved at SIGTERM by " + run)
        sys.exit(0)
    signal.signal(signal.SIGTERM, on_term)
    while True:
        time.sleep(0.1)
`;

let server: TestServer;
let s3: S3Client;
let sm: SageMakerClient;
beforeAll(async () => {
  server = await startTestServer();
  s3 = new S3Client(server.clientConfig);
  sm = new SageMakerClient(server.clientConfig);
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
});

const keysUnder = async (prefix: string): Promise<string[]> =>
  ((await s3.send(new ListObjectsV2Command({ Bucket: 'ml-data', Prefix: prefix }))).Contents ?? []).map((o) => o.Key!).sort();
const text = async (key: string): Promise<string> => (await s3.send(new GetObjectCommand({ Bucket: 'ml-data', Key: key }))).Body!.transformToString();
const found = async (job: string): Promise<Record<string, string>> => {
  const log = await jobLogs(server, `${job}/algo-1-`);
  const line = log.split('\n').find((l) => l.startsWith('FOUND '));
  expect(line, log).toBeDefined();
  return JSON.parse(line!.slice('FOUND '.length)) as Record<string, string>;
};

describe('CheckpointConfig', () => {
  it('syncs the checkpoint directory to S3 while training and at stop; the next job with the same S3Uri resumes from it', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/ckpt.tar.gz', { 'train.py': TRAIN_PY });
    const checkpoint = { S3Uri: 's3://ml-data/checkpoints/exp-1' };

    // Run 1: writes its checkpoint and trains until stopped.
    await sm.send(new CreateTrainingJobCommand(scriptJob('ckpt-run-1', source, { CheckpointConfig: checkpoint }, { run: '1', then: 'stop' })));
    let keys: string[] = [];
    for (let i = 0; i < 300 && keys.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 200));
      keys = await keysUnder('checkpoints/exp-1/');
    }
    // Uploaded while the job still trains, not only at its end.
    expect(keys).toEqual(['checkpoints/exp-1/latest', 'checkpoints/exp-1/state/step-1.json']);
    expect((await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'ckpt-run-1' }))).SecondaryStatus).toBe('Training');
    expect(await found('ckpt-run-1')).toEqual({});

    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'ckpt-run-1' }));
    const stopped = await waitForJob(server, 'ckpt-run-1');
    expect(stopped.TrainingJobStatus).toBe('Stopped');
    // The file written in the SIGTERM handler made it: the last sync runs after the instance ends.
    expect(await text('checkpoints/exp-1/on-stop.txt')).toBe('saved at SIGTERM by 1');

    // Run 2: finds run 1's files restored at start, adds its own, fails on purpose.
    await sm.send(new CreateTrainingJobCommand(scriptJob('ckpt-run-2', source, { CheckpointConfig: checkpoint }, { run: '2', then: 'fail' })));
    const failed = await waitForJob(server, 'ckpt-run-2');
    expect(failed.TrainingJobStatus).toBe('Failed');
    // The script's own failure, after it printed what it found.
    expect(failed.FailureReason).toMatch(/^AlgorithmError: /);
    expect(await found('ckpt-run-2')).toEqual({
      latest: '1',
      'on-stop.txt': 'saved at SIGTERM by 1',
      'state/step-1.json': '{"run": "1", "resumed_from": []}',
    });
    expect(await keysUnder('checkpoints/exp-1/')).toEqual(['checkpoints/exp-1/latest', 'checkpoints/exp-1/on-stop.txt', 'checkpoints/exp-1/state/step-1.json', 'checkpoints/exp-1/state/step-2.json']);
    expect(await text('checkpoints/exp-1/latest')).toBe('2');
    expect(JSON.parse(await text('checkpoints/exp-1/state/step-2.json'))).toEqual({ run: '2', resumed_from: ['latest', 'on-stop.txt', 'state/step-1.json'] });

    // Run 3: a LocalPath outside /opt/ml (mounted into the sandbox) gets the same restore and sync.
    await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('ckpt-run-3', source, { CheckpointConfig: { ...checkpoint, LocalPath: '/opt/my-checkpoints' }, Environment: { CKPT_DIR: '/opt/my-checkpoints' } }, { run: '3', then: 'done' }),
      ),
    );
    const done = await waitForJob(server, 'ckpt-run-3');
    expect(done.FailureReason).toBeUndefined();
    expect(done.TrainingJobStatus).toBe('Completed');
    expect(Object.keys(await found('ckpt-run-3'))).toEqual(['latest', 'on-stop.txt', 'state/step-1.json', 'state/step-2.json']);
    expect(await text('checkpoints/exp-1/latest')).toBe('3');
    expect(await keysUnder('checkpoints/exp-1/state/')).toContain('checkpoints/exp-1/state/step-3.json');
  });

  it('a LocalPath the instance cannot have fails the job with a ClientError', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/ckpt-bad.tar.gz', { 'train.py': TRAIN_PY });
    await sm.send(new CreateTrainingJobCommand(scriptJob('ckpt-bad-path', source, { CheckpointConfig: { S3Uri: 's3://ml-data/checkpoints/bad', LocalPath: '/proc/ckpt' } }, { run: '1', then: 'done' })));
    const d = await waitForJob(server, 'ckpt-bad-path');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: CheckpointConfig.LocalPath \/proc\/ckpt /);
  });
});
