import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

const CONTENT = 'label,x\n1,2\n3,4\n';

/** Reads the FastFile channel's file, then tries every way of changing it; prints one JSON line. */
const TRAIN_PY = `
import json, os
channel = os.environ["SM_CHANNEL_TRAIN"]
path = os.path.join(channel, "data.csv")
with open(path) as f:
    content = f.read()
changed, refused = [], {}
def attempt(label, fn):
    try:
        fn()
        changed.append(label)
    except OSError as e:
        refused[label] = e.strerror
def append():
    with open(path, "a") as f:
        f.write("9,9\\n")
def truncate():
    with open(path, "r+") as f:
        f.truncate(0)
def new_file():
    with open(os.path.join(channel, "new.csv"), "w") as f:
        f.write("x")
attempt("append", append)
attempt("truncate", truncate)
attempt("chmod", lambda: os.chmod(path, 0o777))
attempt("remove", lambda: os.remove(path))
attempt("create", new_file)
with open(path) as f:
    after = f.read()
with open(os.path.join(os.environ["SM_MODEL_DIR"], "seen.csv"), "w") as f:
    f.write(content)
print("FASTFILE " + json.dumps({"content": content, "after": after, "changed": changed, "refused": refused,
      "config": json.loads(os.environ["SM_INPUT_DATA_CONFIG"])["train"]}), flush=True)
`;

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'fast/train/data.csv', CONTENT);
});
afterAll(async () => {
  await server?.close();
});

describe('FastFile input mode', () => {
  it('the channel reads as the S3 object and is read-only: writes fail and the object is unchanged', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/fastfile.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('fastfile-ro', source, {
          InputDataConfig: [{ ChannelName: 'train', InputMode: 'FastFile', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/fast/train/' } } }],
        }),
      ),
    );
    const d = await waitForJob(server, 'fastfile-ro');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const log = await jobLogs(server, 'fastfile-ro/algo-1-');
    const line = log.split('\n').find((l) => l.startsWith('FASTFILE '));
    expect(line, log).toBeDefined();
    const r = JSON.parse(line!.slice('FASTFILE '.length)) as { content: string; after: string; changed: string[]; refused: Record<string, string>; config: Record<string, string> };
    expect(r.config).toMatchObject({ TrainingInputMode: 'FastFile', S3DistributionType: 'FullyReplicated' });
    expect(r.content).toBe(CONTENT);
    expect(r.changed).toEqual([]);
    expect(Object.keys(r.refused).sort()).toEqual(['append', 'chmod', 'create', 'remove', 'truncate']);
    expect(Object.values(r.refused)).toContain('Read-only file system');
    expect(r.after).toBe(CONTENT);

    const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'ml-data', Key: 'fast/train/data.csv' }));
    expect(await got.Body!.transformToString()).toBe(CONTENT);
  });
});
