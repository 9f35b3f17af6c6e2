import { randomFillSync } from 'node:crypto';
import { createReadStream, openSync, writeSync, closeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startClaryProcess } from './lib/clary-process.js';
import { createJob, p50, scriptJobRequest, uploadSource, waitCompleted } from './lib/training-job.js';

/**
 * Input modes on a large channel: 8 × 256 MiB (2 GiB) in the embedded store, read by a script that
 * opens every file of the channel and reads its first byte. Reported per mode (FastFile, File):
 * p50 time from CreateTrainingJob to that point (the script prints the wall clock), and the
 * Downloading phase. FastFile hard-links the store's blobs (same file system as the data dir), so
 * its time should not depend on the size; File copies 2 GiB. Target: FastFile < 1 s.
 * BENCH_INPUT_FILES / BENCH_INPUT_MIB (per file) / BENCH_INPUT_RUNS shrink it while developing.
 */
const FILES = Number(process.env.BENCH_INPUT_FILES ?? 8);
const MIB = Number(process.env.BENCH_INPUT_MIB ?? 256);
const RUNS = Number(process.env.BENCH_INPUT_RUNS ?? 3);
const BUCKET = 'bench-input';

const SCRIPT = `import os, time
d = os.environ["SM_CHANNEL_TRAIN"]
names = sorted(os.listdir(d))
linked = 0
for n in names:
    p = os.path.join(d, n)
    linked += os.stat(p).st_nlink > 1
    with open(p, "rb") as f:
        f.read(1)
print("READY %.6f files=%d linked=%d" % (time.time(), len(names), linked), flush=True)
`;

async function runMode(sm: SageMakerClient, source: string, mode: 'FastFile' | 'File', i: number): Promise<{ ready: number; downloading: number; completed: number }> {
  const name = `bench-input-${mode.toLowerCase()}-${Date.now()}-${i}`;
  const t0 = Date.now();
  await createJob(
    sm,
    scriptJobRequest(name, source, BUCKET, {
      AlgorithmSpecification: { TrainingImage: scriptJobRequest('x', source, BUCKET).AlgorithmSpecification!.TrainingImage, TrainingInputMode: mode, MetricDefinitions: [{ Name: 'ready', Regex: 'READY ([0-9.]+)' }, { Name: 'files', Regex: 'files=([0-9]+)' }, { Name: 'linked', Regex: 'linked=([0-9]+)' }] },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/data/` } } }],
    }),
  );
  const d = await waitCompleted(sm, name, 50);
  const completed = Date.now() - t0;
  const metric = (n: string) => d.FinalMetricDataList?.find((m) => m.MetricName === n)?.Value;
  if (metric('files') !== FILES) throw new Error(`${name}: the script saw ${metric('files')} files, not ${FILES}`);
  if (mode === 'FastFile' && metric('linked') !== FILES) throw new Error(`${name}: FastFile did not link the blobs (linked=${metric('linked')}): is the data dir on another file system?`);
  if (process.env.BENCH_DEBUG) console.error(name, JSON.stringify(d.SecondaryStatusTransitions?.map((t) => [t.Status, (t.EndTime?.getTime() ?? 0) - (t.StartTime?.getTime() ?? 0)])), (d.FinalMetricDataList?.[0]?.Value ?? 0) * 1000 - t0);
  const dl = d.SecondaryStatusTransitions?.find((t) => t.Status === 'Downloading');
  return { ready: metric('ready')! * 1000 - t0, downloading: dl?.EndTime && dl.StartTime ? dl.EndTime.getTime() - dl.StartTime.getTime() : NaN, completed };
}

export async function run() {
  const work = await mkdtemp(join(tmpdir(), 'clary-bench-input-'));
  const clary = await startClaryProcess();
  const cfg = { endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true };
  const s3 = new S3Client(cfg);
  const sm = new SageMakerClient(cfg);
  const keys = Array.from({ length: FILES }, (_, i) => `data/part-${String(i).padStart(3, '0')}.bin`);
  try {
    // One file of random bytes, uploaded under each key (the store keeps each object's own blob).
    const file = join(work, 'part.bin');
    const fd = openSync(file, 'w');
    const chunk = Buffer.alloc(1024 * 1024);
    for (let m = 0; m < MIB; m++) writeSync(fd, randomFillSync(chunk));
    closeSync(fd);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const u0 = Date.now();
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: createReadStream(file), ContentLength: MIB * 1024 * 1024 }));
    const uploadMs = Date.now() - u0;
    await rm(file);
    const source = await uploadSource(s3, BUCKET, 'code/sourcedir.tar.gz', { 'train.py': SCRIPT });

    // One job first, not counted: the first job of a fresh Clary pays one-time costs (cgroup tree, caches).
    await runMode(sm, source, 'FastFile', -1);
    const results: Record<string, { ready: number; downloading: number; completed: number }[]> = { FastFile: [], File: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternating which goes first, so neither mode always follows the other's cleanup.
      const order = i % 2 === 0 ? (['FastFile', 'File'] as const) : (['File', 'FastFile'] as const);
      for (const mode of order) results[mode]!.push(await runMode(sm, source, mode, i));
    }
    const summary = (rs: { ready: number; downloading: number; completed: number }[]) => ({
      toAllFilesOpenMs: Math.round(p50(rs.map((r) => r.ready))),
      downloadingMs: Math.round(p50(rs.map((r) => r.downloading))),
      toCompletedMs: Math.round(p50(rs.map((r) => r.completed))),
    });
    return {
      name: 'training-input',
      channel: { files: FILES, bytes: FILES * MIB * 1024 * 1024 },
      runs: RUNS,
      uploadMs,
      fastFile: summary(results.FastFile!),
      file: summary(results.File!),
      // Other work on the machine during the run (the 1-minute load average at the end): 2 cores.
      loadAverage: Number((loadavg()[0] ?? 0).toFixed(1)),
      target: 'FastFile: CreateTrainingJob to every file opened and its first byte read < 1000 ms',
    };
  } finally {
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key })).catch(() => undefined);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'code/sourcedir.tar.gz' })).catch(() => undefined);
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKET })).catch(() => undefined);
    await clary.stop();
    await rm(work, { recursive: true, force: true });
  }
}
