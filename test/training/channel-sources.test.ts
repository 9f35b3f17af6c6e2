import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, type Channel } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/** Prints every channel's files (relative paths) and their content as one JSON line. */
const TRAIN_PY = `
import json, os
base = "/opt/ml/input/data"
out = {}
for ch in sorted(os.listdir(base)):
    files = {}
    for root, _, names in os.walk(os.path.join(base, ch)):
        for n in names:
            p = os.path.join(root, n)
            files[os.path.relpath(p, os.path.join(base, ch))] = open(p).read()
    out[ch] = files
print("CHANNELS " + json.dumps(out, sort_keys=True), flush=True)
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'src/train/a.csv', 'a');
  await putText(server, 'ml-data', 'src/train/deep/b.csv', 'b');
  await putText(server, 'ml-data', 'src/single/only.csv', 'only');
  await putText(server, 'ml-data', 'src/single/other.csv', 'other');
  await putText(server, 'ml-data', 'manifests/train.manifest', JSON.stringify([{ prefix: 's3://ml-data/src/' }, 'train/a.csv', 'single/only.csv']));
});
afterAll(async () => {
  await server?.close();
});

const s3 = (name: string, S3DataType: 'S3Prefix' | 'ManifestFile', S3Uri: string): Channel => ({ ChannelName: name, DataSource: { S3DataSource: { S3DataType, S3Uri } } });

describe('where a channel\'s S3 objects land in /opt/ml/input/data/<channel>', () => {
  it('a prefix with or without the trailing slash, one object\'s exact key, and a manifest listing objects', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/channels.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('channel-sources', source, {
          InputDataConfig: [
            s3('slash', 'S3Prefix', 's3://ml-data/src/train/'),
            s3('noslash', 'S3Prefix', 's3://ml-data/src/train'),
            s3('object', 'S3Prefix', 's3://ml-data/src/single/only.csv'),
            s3('manifest', 'ManifestFile', 's3://ml-data/manifests/train.manifest'),
          ],
        }),
      ),
    );
    const d = await waitForJob(server, 'channel-sources');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const log = await jobLogs(server, 'channel-sources/algo-1-');
    const line = log.split('\n').find((l) => l.startsWith('CHANNELS '));
    expect(line, log).toBeDefined();
    expect(JSON.parse(line!.slice('CHANNELS '.length))).toEqual({
      slash: { 'a.csv': 'a', 'deep/b.csv': 'b' },
      noslash: { 'a.csv': 'a', 'deep/b.csv': 'b' },
      object: { 'only.csv': 'only' },
      manifest: { 'train/a.csv': 'a', 'single/only.csv': 'only' },
    });
  });

  it('a manifest that names an object that does not exist fails the job with a ClientError', async () => {
    await putText(server, 'ml-data', 'manifests/broken.manifest', JSON.stringify([{ prefix: 's3://ml-data/src/' }, 'train/a.csv', 'train/gone.csv']));
    const source = await uploadSourceDir(server, 'ml-data', 'code/channels2.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(scriptJob('manifest-missing', source, { InputDataConfig: [s3('train', 'ManifestFile', 's3://ml-data/manifests/broken.manifest')] })),
    );
    const d = await waitForJob(server, 'manifest-missing');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: .*train\/gone\.csv/);
  });
});
