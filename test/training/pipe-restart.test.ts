import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawnClary, type SpawnedClary } from '../support/clary-process.js';
import type { TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/**
 * kill -9 of Clary between two epochs of a Pipe channel: the next Clary reattaches the instance,
 * serves `train_1` and goes on syncing the checkpoint directory.
 */
const TRAIN_PY = `
import hashlib, os, time
def read(name):
    h, n = hashlib.sha256(), 0
    with open("/opt/ml/input/data/" + name, "rb") as f:
        for b in iter(lambda: f.read(65536), b""):
            h.update(b)
            n += len(b)
    return n, h.hexdigest()
print("EPOCH0 %d %s" % read("train_0"), flush=True)
with open("/opt/ml/checkpoints/epoch-0", "w") as f:
    f.write("done")
deadline = time.time() + 90
while not os.path.exists("/tmp/release") and time.time() < deadline:
    time.sleep(0.1)
print("EPOCH1 %d %s" % read("train_1"), flush=True)
with open("/opt/ml/checkpoints/epoch-1", "w") as f:
    f.write("done")
`;

const DATA = [Buffer.alloc(300_000, 7), Buffer.from('the second object\n')];
const ALL = Buffer.concat(DATA);
const JOB = 'pipe-restart';

let dataDir: string;
let clary: SpawnedClary | undefined;
let server: TestServer;

async function asServer(c: SpawnedClary): Promise<TestServer> {
  const credentials = await c.credentials();
  return { clientConfig: { endpoint: c.endpoint, region: 'us-east-1', credentials, forcePathStyle: true } } as unknown as TestServer;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const s3Text = async (key: string) => (await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'ml-data', Key: key }))).Body!.transformToString();

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clary-pipe-restart-'));
  clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
  server = await asServer(clary);
}, 60_000);

afterAll(async () => {
  await writeFile(join(dataDir, 'runs', `${JOB}-algo-1`, 'tmp', 'release'), '').catch(() => undefined);
  if (clary) await waitForJob(server, JOB, 20_000).catch(() => undefined);
  await clary?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Pipe mode and checkpoints across a Clary restart', () => {
  it('the reattached job gets its next epoch and its checkpoints keep being uploaded', async () => {
    await createBucket(server, 'ml-data');
    const s3 = new S3Client(server.clientConfig);
    for (const [i, body] of DATA.entries()) await s3.send(new PutObjectCommand({ Bucket: 'ml-data', Key: `pipe/train/part-${i}`, Body: body }));
    const source = await uploadSourceDir(server, 'ml-data', 'code/pipe-restart.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob(JOB, source, {
          InputDataConfig: [{ ChannelName: 'train', InputMode: 'Pipe', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/pipe/train/' } } }],
          CheckpointConfig: { S3Uri: 's3://ml-data/ckpt/pipe-restart' },
        }),
      ),
    );
    await until('epoch 0 read and its checkpoint uploaded', async () => (await s3Text('ckpt/pipe-restart/epoch-0')) === 'done');
    // The output cursor is saved just after each batch of log lines is stored: let it land.
    await new Promise((r) => setTimeout(r, 1000));

    clary!.child.kill('SIGKILL');
    await new Promise((r) => (clary!.child.exitCode !== null || clary!.child.signalCode !== null ? r(undefined) : clary!.child.once('exit', r)));
    clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
    server = await asServer(clary);

    await writeFile(join(dataDir, 'runs', `${JOB}-algo-1`, 'tmp', 'release'), '');
    const d = await waitForJob(server, JOB);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const log = await jobLogs(server, `${JOB}/algo-1-`);
    const expected = `${ALL.length} ${createHash('sha256').update(ALL).digest('hex')}`;
    expect(log).toContain(`EPOCH0 ${expected}`);
    expect(log).toContain(`EPOCH1 ${expected}`);
    expect(await s3Text('ckpt/pipe-restart/epoch-1')).toBe('done');
  }, 150_000);
});
