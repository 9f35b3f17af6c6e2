import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Pack } from 'tar';
import { startClaryProcess, type ClaryProcess } from './lib/clary-process.js';

/**
 * Container lane vs process lane for the same framework job (docs/containers.md "Framework
 * images"): one tiny script-mode scikit-learn job (File input, ml.m5.large) run alternately on two
 * Clarys, one with CLARY_RUNTIME_LANES=sklearn=container (its built image clary/sklearn:latest,
 * through Podman) and one with the default process lane (bubblewrap). Reported: p50 of 10 of
 * CreateTrainingJob → the script's first line (its own clock, reported as a metric) and →
 * Completed, per lane, and the difference. Needs `clary images build sklearn` first.
 */
const RUNS = Number(process.env.BENCH_TRAINING_RUNS ?? 10);
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const SCRIPT = `import time, sys, os
print("FIRST", repr(time.time()), flush=True)
import numpy as np
from sklearn.linear_model import LinearRegression
d = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")
LinearRegression().fit(d[:, 1:], d[:, 0])
`;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function sourceTarball(): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-bench-lanes-'));
  try {
    await writeFile(join(dir, 'train.py'), SCRIPT);
    const pack = new Pack({ gzip: true, cwd: dir, portable: true });
    const chunks: Buffer[] = [];
    pack.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => pack.on('end', () => r()));
    pack.add('train.py');
    pack.end();
    await done;
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function prepare(clary: ClaryProcess, code: Buffer, csv: string): Promise<SageMakerClient> {
  const cfg = { endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true };
  const s3 = new S3Client(cfg);
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-lanes' }));
  await s3.send(new PutObjectCommand({ Bucket: 'bench-lanes', Key: 'data/train.csv', Body: csv }));
  await s3.send(new PutObjectCommand({ Bucket: 'bench-lanes', Key: 'code/sourcedir.tar.gz', Body: code }));
  return new SageMakerClient(cfg);
}

async function oneJob(sm: SageMakerClient, name: string): Promise<{ first: number; done: number; message: string }> {
  const t0 = Date.now();
  await sm.send(
    new CreateTrainingJobCommand({
      TrainingJobName: name,
      RoleArn: 'arn:aws:iam::000000000000:role/Bench',
      AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'first', Regex: 'FIRST ([0-9.]+)' }] },
      HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: '"s3://bench-lanes/code/sourcedir.tar.gz"' },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://bench-lanes/data/' } } }],
      OutputDataConfig: { S3OutputPath: 's3://bench-lanes/out' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    }),
  );
  for (;;) {
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    if (d.TrainingJobStatus === 'Completed') {
      const first = d.FinalMetricDataList?.find((m) => m.MetricName === 'first')?.Value;
      const message = d.SecondaryStatusTransitions?.find((t) => t.Status === 'Starting')?.StatusMessage ?? '';
      return { first: first ? first * 1000 - t0 : NaN, done: Date.now() - t0, message };
    }
    if (d.TrainingJobStatus === 'Failed' || d.TrainingJobStatus === 'Stopped') throw new Error(`job ${name} ${d.TrainingJobStatus}: ${d.FailureReason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function run() {
  if (spawnSync('podman', ['image', 'exists', 'clary/sklearn:latest']).status !== 0) throw new Error('framework-lanes: run `clary images build sklearn` first');
  const csv = Array.from({ length: 1000 }, (_, i) => `${2 * i + 1},${i}`).join('\n');
  const code = await sourceTarball();
  const saved = process.env.CLARY_RUNTIME_LANES;
  process.env.CLARY_RUNTIME_LANES = 'sklearn=container';
  const onContainers = await startClaryProcess();
  process.env.CLARY_RUNTIME_LANES = 'sklearn=process';
  const onProcesses = await startClaryProcess();
  if (saved === undefined) delete process.env.CLARY_RUNTIME_LANES;
  else process.env.CLARY_RUNTIME_LANES = saved;
  try {
    const smContainer = await prepare(onContainers, code, csv);
    const smProcess = await prepare(onProcesses, code, csv);
    // The container lane's first job starts Podman (a second or two): not counted.
    const warm = await oneJob(smContainer, 'bench-warm');
    if (!warm.message.includes('container lane')) throw new Error(`framework-lanes: the job did not take the container lane: ${warm.message}`);
    const c: { first: number; done: number }[] = [];
    const p: { first: number; done: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      p.push(await oneJob(smProcess, `bench-p-${i}`));
      c.push(await oneJob(smContainer, `bench-c-${i}`));
    }
    const proc = { toFirstLine: Math.round(p50(p.map((r) => r.first))), toCompleted: Math.round(p50(p.map((r) => r.done))) };
    const cont = { toFirstLine: Math.round(p50(c.map((r) => r.first))), toCompleted: Math.round(p50(c.map((r) => r.done))) };
    return {
      name: 'framework-lanes',
      runs: RUNS,
      job: 'script-mode scikit-learn LinearRegression on 1000 rows, File input, ml.m5.large',
      processLaneMs: proc,
      containerLaneMs: cont,
      containerMinusProcessMs: { toFirstLine: cont.toFirstLine - proc.toFirstLine, toCompleted: cont.toCompleted - proc.toCompleted },
      ratio: { toFirstLine: +(cont.toFirstLine / proc.toFirstLine).toFixed(2), toCompleted: +(cont.toCompleted / proc.toCompleted).toFixed(2) },
      loadAverage: (await import('node:os')).loadavg()[0]!.toFixed(1),
    };
  } finally {
    await onContainers.stop();
    await onProcesses.stop();
  }
}
