import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

const KEYS = ['part-0.csv', 'part-1.csv', 'part-2.csv', 'part-3.csv'];

/** Prints the host's name and the files (with their content) its channel holds. */
const TRAIN_PY = `
import json, os
channel = os.environ["SM_CHANNEL_TRAIN"]
files = {}
for root, _, names in os.walk(channel):
    for n in names:
        p = os.path.join(root, n)
        files[os.path.relpath(p, channel)] = open(p).read()
print("SHARD " + json.dumps({"host": os.environ["SM_CURRENT_HOST"], "files": files,
      "distribution": json.loads(os.environ["SM_INPUT_DATA_CONFIG"])["train"]["S3DistributionType"]}, sort_keys=True), flush=True)
`;

type Shard = { host: string; files: Record<string, string>; distribution: string };

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  for (const k of KEYS) await putText(server, 'ml-data', `sharded/train/${k}`, `content of ${k}\n`);
});
afterAll(async () => {
  await server?.close();
});

async function shardOf(job: string, host: string): Promise<Shard> {
  const log = await jobLogs(server, `${job}/${host}-`);
  const line = log.split('\n').find((l) => l.startsWith('SHARD '));
  expect(line, `${host}: ${log}`).toBeDefined();
  return JSON.parse(line!.slice('SHARD '.length)) as Shard;
}

describe('S3DataDistributionType ShardedByS3Key', () => {
  it.each(['File', 'FastFile'] as const)('%s mode: splits four objects between two instances: two each, all four together, none twice', async (mode) => {
    const job = `sharded-${mode.toLowerCase()}`;
    const source = await uploadSourceDir(server, 'ml-data', 'code/shard.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob(job, source, {
          ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 },
          InputDataConfig: [
            { ChannelName: 'train', InputMode: mode, DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/sharded/train/', S3DataDistributionType: 'ShardedByS3Key' } } },
          ],
        }),
      ),
    );
    const d = await waitForJob(server, job);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');

    const [one, two] = [await shardOf(job, 'algo-1'), await shardOf(job, 'algo-2')];
    expect([one.host, two.host]).toEqual(['algo-1', 'algo-2']);
    expect([one.distribution, two.distribution]).toEqual(['ShardedByS3Key', 'ShardedByS3Key']);
    expect(Object.keys(one.files)).toHaveLength(2);
    expect(Object.keys(two.files)).toHaveLength(2);
    expect([...Object.keys(one.files), ...Object.keys(two.files)].sort()).toEqual(KEYS);
    for (const [name, text] of Object.entries({ ...one.files, ...two.files })) expect(text).toBe(`content of ${name}\n`);
  });

  it('FullyReplicated (the default) gives every instance all four objects', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/replicated.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('replicated-2', source, {
          ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/sharded/train/' } } }],
        }),
      ),
    );
    const d = await waitForJob(server, 'replicated-2');
    expect(d.TrainingJobStatus).toBe('Completed');
    for (const host of ['algo-1', 'algo-2']) {
      const shard = await shardOf('replicated-2', host);
      expect(shard.distribution).toBe('FullyReplicated');
      expect(Object.keys(shard.files).sort()).toEqual(KEYS);
    }
  });
});
