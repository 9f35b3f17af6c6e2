import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, StopTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, scriptJob, uploadSourceDir, waitForJob } from './support.js';

/**
 * Reads the Pipe channels as an algorithm does: `train_0` to EOF, then `train_1`, and the
 * manifest channel's first epoch; never opens `unused_0`. Prints one JSON line per host.
 */
const TRAIN_PY = `
import hashlib, json, os
data = "/opt/ml/input/data"
out = {"at_start": sorted(os.listdir(data)), "env": os.environ.get("SM_CHANNEL_TRAIN"),
       "config": json.loads(os.environ["SM_INPUT_DATA_CONFIG"]), "epochs": []}
def epoch(name):
    path = os.path.join(data, name)
    kind = "fifo" if os.path.exists(path) and __import__("stat").S_ISFIFO(os.stat(path).st_mode) else "missing"
    h, n = hashlib.sha256(), 0
    with open(path, "rb") as f:
        while True:
            b = f.read(65536)
            if not b:
                break
            h.update(b)
            n += len(b)
    return {"name": name, "kind": kind, "bytes": n, "sha256": h.hexdigest()}
channels = [c for c in ["train", "listed", "zipped", "wrapped"] if c in out["config"]]
for c in channels:
    out["epochs"].append(epoch(c + "_0"))
if "train" in channels:
    out["next_before_open"] = os.path.exists(os.path.join(data, "train_1"))
    out["epochs"].append(epoch("train_1"))
print("PIPE " + json.dumps(out), flush=True)
`;

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
// Over the 64 KiB pipe buffer, so the writer really waits on its reader; key order differs from upload order.
const OBJECTS: Record<string, Buffer> = {
  'pipe/train/b-part.bin': Buffer.alloc(3 * 1024 * 1024 + 7, 0x62),
  'pipe/train/a-part.bin': Buffer.from('first object by key\n'),
  'pipe/train/c/part.bin': Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251)),
};
const UNZIPPED = Buffer.from(Array.from({ length: 100_000 }, (_, i) => `line ${i}\n`).join(''));
// RecordIO: the magic word at aligned offsets splits a record (dmlc), anywhere else it is data.
const MAGIC = Buffer.from([0x0a, 0x23, 0xd7, 0xce]);
const WRAPPED: Record<string, Buffer> = {
  'pipe/wrapped/a': Buffer.concat([Buffer.from('abcd'), MAGIC, Buffer.from('tail12345')]),
  'pipe/wrapped/b': Buffer.from('odd!!'),
  'pipe/wrapped/c': Buffer.concat([MAGIC, Buffer.from('xyzw'), MAGIC]),
  'pipe/wrapped/d': Buffer.concat([Buffer.from('q'), MAGIC, Buffer.from('zz')]),
  'pipe/wrapped/e': Buffer.concat([Buffer.alloc(65532, 1), MAGIC, Buffer.alloc(70_001, 2)]),
};
/** dmlc's RecordIOWriter::WriteRecord on a whole object, written out plainly. */
function dmlcRecord(data: Buffer): Buffer {
  const hdr = (cflag: number, n: number) => {
    const b = Buffer.alloc(8);
    b.writeUInt32LE(0xced7230a, 0);
    b.writeUInt32LE(((cflag << 29) | n) >>> 0, 4);
    return b;
  };
  const out: Buffer[] = [];
  let dptr = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) {
    if (data.readUInt32LE(i) !== 0xced7230a) continue;
    out.push(hdr(dptr === 0 ? 1 : 2, i - dptr), data.subarray(dptr, i));
    dptr = i + 4;
  }
  out.push(hdr(dptr !== 0 ? 3 : 0, data.length - dptr), data.subarray(dptr), Buffer.alloc((4 - (data.length % 4)) % 4));
  return Buffer.concat(out);
}
const inKeyOrder = (keys: string[]) => Buffer.concat([...keys].sort().map((k) => OBJECTS[k]!));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  const s3 = new S3Client(server.clientConfig);
  for (const [key, body] of Object.entries(OBJECTS)) await s3.send(new PutObjectCommand({ Bucket: 'ml-data', Key: key, Body: body }));
  await putText(server, 'ml-data', 'pipe/unused/x.bin', 'never read');
  await s3.send(new PutObjectCommand({ Bucket: 'ml-data', Key: 'pipe/zipped/lines.txt.gz', Body: gzipSync(UNZIPPED) }));
  for (const [key, body] of Object.entries(WRAPPED)) await s3.send(new PutObjectCommand({ Bucket: 'ml-data', Key: key, Body: body }));
  await putText(server, 'ml-data', 'pipe/listed.manifest', JSON.stringify([{ prefix: 's3://ml-data/pipe/train/' }, 'c/part.bin', 'a-part.bin']));
});
afterAll(async () => {
  await server?.close();
});

interface PipeReport {
  at_start: string[];
  env: string;
  config: Record<string, { TrainingInputMode: string }>;
  epochs: { name: string; kind: string; bytes: number; sha256: string }[];
  next_before_open?: boolean;
}

async function report(job: string, host = 'algo-1'): Promise<PipeReport> {
  const log = await jobLogs(server, `${job}/${host}-`);
  const line = log.split('\n').find((l) => l.startsWith('PIPE '));
  expect(line, log).toBeDefined();
  return JSON.parse(line!.slice('PIPE '.length)) as PipeReport;
}

/** File descriptors of this process (the in-process Clary) open on something of the job's tree. */
async function fdsOfJob(job: string): Promise<string[]> {
  const out: string[] = [];
  for (const fd of await readdir('/proc/self/fd').catch(() => [] as string[])) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target.includes(`/${job}/`)) out.push(target);
  }
  return out;
}

describe('Pipe input mode', () => {
  it('each epoch is a FIFO <channel>_<n> carrying the objects in key order (Gzip ones decompressed, RecordIO ones wrapped); a channel never opened does not hold the job', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/pipe.tar.gz', { 'train.py': TRAIN_PY });
    const s3Source = (uri: string, type: 'S3Prefix' | 'ManifestFile' = 'S3Prefix') => ({ S3DataSource: { S3DataType: type, S3Uri: uri } });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('pipe-epochs', source, {
          AlgorithmSpecification: { TrainingImage: scriptJob('x', source).AlgorithmSpecification!.TrainingImage, TrainingInputMode: 'Pipe' },
          InputDataConfig: [
            { ChannelName: 'train', DataSource: s3Source('s3://ml-data/pipe/train/') },
            { ChannelName: 'unused', DataSource: s3Source('s3://ml-data/pipe/unused/') },
            { ChannelName: 'listed', DataSource: s3Source('s3://ml-data/pipe/listed.manifest', 'ManifestFile') },
            { ChannelName: 'zipped', CompressionType: 'Gzip', DataSource: s3Source('s3://ml-data/pipe/zipped/') },
            { ChannelName: 'wrapped', RecordWrapperType: 'RecordIO', DataSource: s3Source('s3://ml-data/pipe/wrapped/') },
          ],
        }),
      ),
    );
    const d = await waitForJob(server, 'pipe-epochs');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');

    const r = await report('pipe-epochs');
    expect(r.at_start).toEqual(['listed_0', 'train_0', 'unused_0', 'wrapped_0', 'zipped_0']);
    expect(r.env).toBe('/opt/ml/input/data/train');
    expect(r.config.train!.TrainingInputMode).toBe('Pipe');
    expect(r.config.unused!.TrainingInputMode).toBe('Pipe');
    const all = inKeyOrder(Object.keys(OBJECTS));
    const wrapped = Buffer.concat(Object.keys(WRAPPED).sort().map((k) => dmlcRecord(WRAPPED[k]!)));
    const epoch = { kind: 'fifo', bytes: all.length, sha256: sha(all) };
    expect(r.epochs).toEqual([
      { name: 'train_0', ...epoch },
      // The manifest's own order, not key order.
      { name: 'listed_0', kind: 'fifo', bytes: OBJECTS['pipe/train/c/part.bin']!.length + OBJECTS['pipe/train/a-part.bin']!.length, sha256: sha(Buffer.concat([OBJECTS['pipe/train/c/part.bin']!, OBJECTS['pipe/train/a-part.bin']!])) },
      // CompressionType Gzip: read decompressed.
      { name: 'zipped_0', kind: 'fifo', bytes: UNZIPPED.length, sha256: sha(UNZIPPED) },
      // RecordWrapperType RecordIO: each object one record, in key order.
      { name: 'wrapped_0', kind: 'fifo', bytes: wrapped.length, sha256: sha(wrapped) },
      { name: 'train_1', ...epoch },
    ]);
    // train_1 was there before train_0 reached EOF: a reader moving on never races its creation.
    expect(r.next_before_open).toBe(true);
    // No writer is left holding a FIFO of the job (the unused channel's included).
    expect(await fdsOfJob('pipe-epochs')).toEqual([]);
  });

  it('ShardedByS3Key: each host reads its own shard from its FIFO', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/pipe-shard.tar.gz', { 'train.py': TRAIN_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('pipe-sharded', source, {
          ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 },
          InputDataConfig: [{ ChannelName: 'train', InputMode: 'Pipe', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/pipe/train/', S3DataDistributionType: 'ShardedByS3Key' } } }],
        }),
      ),
    );
    const d = await waitForJob(server, 'pipe-sharded');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const keys = Object.keys(OBJECTS).sort();
    for (const [i, host] of ['algo-1', 'algo-2'].entries()) {
      const r = await report('pipe-sharded', host);
      const shard = inKeyOrder(keys.filter((_, k) => k % 2 === i));
      expect(r.epochs.map((e) => [e.name, e.bytes, e.sha256])).toEqual([
        ['train_0', shard.length, sha(shard)],
        ['train_1', shard.length, sha(shard)],
      ]);
    }
  });

  it('a job stopped while its reader holds the FIFO half-read ends, and the writer lets go of the FIFO', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/pipe-stall.tar.gz', {
      'train.py': `
import time
f = open("/opt/ml/input/data/train_0", "rb")
print("READ %d" % len(f.read(10)), flush=True)
while True:
    time.sleep(0.1)
`,
    });
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(
      new CreateTrainingJobCommand(
        scriptJob('pipe-stall', source, { InputDataConfig: [{ ChannelName: 'train', InputMode: 'Pipe', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/pipe/train/' } } }] }),
      ),
    );
    let log = '';
    for (let i = 0; i < 100 && !log.includes('READ 10'); i++) {
      await new Promise((r) => setTimeout(r, 200));
      log = await jobLogs(server, 'pipe-stall/algo-1-');
    }
    expect(log).toContain('READ 10');
    // The writer is now blocked on a full pipe (3 MiB to go).
    expect((await fdsOfJob('pipe-stall')).some((t) => t.endsWith('/input/data/train_0'))).toBe(true);
    await sm.send(new StopTrainingJobCommand({ TrainingJobName: 'pipe-stall' }));
    const d = await waitForJob(server, 'pipe-stall');
    expect(d.TrainingJobStatus).toBe('Stopped');
    expect(await fdsOfJob('pipe-stall')).toEqual([]);
  });

  it('a job that swaps its input directory for a link to a host directory gets no FIFO made there', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'clary-pipe-escape-'));
    try {
      const source = await uploadSourceDir(server, 'ml-data', 'code/pipe-escape.tar.gz', {
        'train.py': `
import os, time
data = "/opt/ml/input/data"
f = open(data + "/train_0", "rb")
first = f.read(1)  # bytes flow: Clary has checked the FIFO it opened
os.rename(data, "/opt/ml/input/data.moved")
os.symlink(${JSON.stringify(outside)}, data)
print("READ %d" % (len(first) + len(f.read())), flush=True)
time.sleep(1)
`,
      });
      await new SageMakerClient(server.clientConfig).send(
        new CreateTrainingJobCommand(
          scriptJob('pipe-escape', source, { InputDataConfig: [{ ChannelName: 'train', InputMode: 'Pipe', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/pipe/train/' } } }] }),
        ),
      );
      const d = await waitForJob(server, 'pipe-escape');
      expect(d.TrainingJobStatus).toBe('Completed');
      expect(await jobLogs(server, 'pipe-escape/algo-1-')).toContain(`READ ${inKeyOrder(Object.keys(OBJECTS)).length}`);
      // The next epoch's FIFO would have gone through the link: nothing was made on the host.
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });
});
