import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Pack } from 'tar';
import { startClaryProcess } from './lib/clary-process.js';

/**
 * Training overhead: the same scikit-learn script run as a Clary training job (script mode, File
 * input, ml.m5.large) and directly with /usr/bin/python3 on the same data. Reported: p50 of the time
 * from CreateTrainingJob (or spawn) to the script's first line, and to Completed (or exit).
 * Target: ≤ 1 s added (aim 0.3 s).
 */
const RUNS = Number(process.env.BENCH_TRAINING_RUNS ?? 10);
const SCRIPT = `import time, sys, os
print("FIRST", repr(time.time()), flush=True)
import numpy as np
from sklearn.linear_model import LinearRegression
d = np.loadtxt(os.path.join(os.environ.get("SM_CHANNEL_TRAIN", sys.argv[-1]), "train.csv"), delimiter=",")
LinearRegression().fit(d[:, 1:], d[:, 0])
`;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bare(dir: string): Promise<{ first: number; done: number }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [join(dir, 'train.py'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    let first = 0;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /FIRST (\d+\.\d+)/.exec(out);
      if (m && !first) first = Number(m[1]) * 1000 - t0;
    });
    child.on('exit', (code) => (code === 0 ? resolve({ first, done: Date.now() - t0 }) : reject(new Error(`bare run exited ${code}`))));
  });
}

export async function run() {
  const work = await mkdtemp(join(tmpdir(), 'clary-bench-train-'));
  const csv = Array.from({ length: 1000 }, (_, i) => `${2 * i + 1},${i}`).join('\n');
  await writeFile(join(work, 'train.py'), SCRIPT);
  await writeFile(join(work, 'train.csv'), csv);
  const clary = await startClaryProcess();
  try {
    const cfg = { endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true };
    const s3 = new S3Client(cfg);
    const sm = new SageMakerClient(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-train' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-train', Key: 'data/train.csv', Body: csv }));
    const pack = new Pack({ gzip: true, cwd: work, portable: true });
    const chunks: Buffer[] = [];
    pack.on('data', (c: Buffer) => chunks.push(c));
    const packed = new Promise<void>((r) => pack.on('end', () => r()));
    pack.add('train.py');
    pack.end();
    await packed;
    await s3.send(new PutObjectCommand({ Bucket: 'bench-train', Key: 'code/sourcedir.tar.gz', Body: Buffer.concat(chunks) }));

    const bareRuns: { first: number; done: number }[] = [];
    const jobRuns: { first: number; done: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      bareRuns.push(await bare(work));
      const name = `bench-${Date.now()}-${i}`;
      const t0 = Date.now();
      await sm.send(
        new CreateTrainingJobCommand({
          TrainingJobName: name,
          RoleArn: 'arn:aws:iam::000000000000:role/Bench',
          AlgorithmSpecification: { TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'first', Regex: 'FIRST ([0-9.]+)' }] },
          HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://bench-train/code/sourcedir.tar.gz"' },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bench-train/data/' } } }],
          OutputDataConfig: { S3OutputPath: 's3://bench-train/out' },
          ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
          StoppingCondition: { MaxRuntimeInSeconds: 600 },
        }),
      );
      for (;;) {
        const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
        if (d.TrainingJobStatus === 'Completed') {
          const first = d.FinalMetricDataList?.find((m) => m.MetricName === 'first')?.Value;
          jobRuns.push({ first: first ? first * 1000 - t0 : NaN, done: Date.now() - t0 });
          break;
        }
        if (d.TrainingJobStatus === 'Failed' || d.TrainingJobStatus === 'Stopped') throw new Error(`job ${name} ${d.TrainingJobStatus}: ${d.FailureReason}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const b = { first: p50(bareRuns.map((r) => r.first)), done: p50(bareRuns.map((r) => r.done)) };
    const j = { first: p50(jobRuns.map((r) => r.first)), done: p50(jobRuns.map((r) => r.done)) };
    return {
      name: 'training-overhead',
      runs: RUNS,
      bareMs: { toFirstLine: Math.round(b.first), toExit: Math.round(b.done) },
      jobMs: { toFirstLine: Math.round(j.first), toCompleted: Math.round(j.done) },
      addedMs: { toFirstLine: Math.round(j.first - b.first), toCompleted: Math.round(j.done - b.done) },
      target: 'added <= 1000 ms (aim 300 ms)',
    };
  } finally {
    await clary.stop();
    await rm(work, { recursive: true, force: true });
  }
}
