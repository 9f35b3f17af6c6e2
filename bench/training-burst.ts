import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, ListTrainingJobsCommand, SageMakerClient, type DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { startClaryProcess } from './lib/clary-process.js';
import { createJob, scriptJobRequest, uploadSource, waitCompleted } from './lib/training-job.js';

/**
 * A burst: 50 tiny jobs (print and exit) on ml.m5.large submitted at once. All must complete and
 * none go missing; they run as capacity allows (the machine's vCPUs × overcommit, and memory) and
 * the rest wait in Starting ("Waiting for capacity"). Reported: wall time from the first
 * CreateTrainingJob to the last job's end, against the sum of 50 bare `/usr/bin/python3 train.py`
 * runs and against one job on its own; how many waited, the most that ran at once, and whether they
 * were placed in submission order. The quotas are raised to 60 so that all 50 are accepted.
 */
const JOBS = Number(process.env.BENCH_BURST_JOBS ?? 50);
const BUCKET = 'bench-burst';
const SCRIPT = 'print("hello from a tiny job", flush=True)\n';

function bareRun(script: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [script], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`bare run exited ${code}`))));
  });
}

export async function run() {
  const work = await mkdtemp(join(tmpdir(), 'clary-bench-burst-'));
  const saved = { cpu: process.env.CLARY_QUOTA_CPU_PER_TYPE, agg: process.env.CLARY_QUOTA_AGGREGATE };
  process.env.CLARY_QUOTA_CPU_PER_TYPE = process.env.CLARY_QUOTA_AGGREGATE = String(Math.max(60, JOBS + 10));
  const clary = await startClaryProcess();
  process.env.CLARY_QUOTA_CPU_PER_TYPE = saved.cpu;
  process.env.CLARY_QUOTA_AGGREGATE = saved.agg;
  if (saved.cpu === undefined) delete process.env.CLARY_QUOTA_CPU_PER_TYPE;
  if (saved.agg === undefined) delete process.env.CLARY_QUOTA_AGGREGATE;
  try {
    const cfg = { endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true };
    const s3 = new S3Client(cfg);
    const sm = new SageMakerClient(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const source = await uploadSource(s3, BUCKET, 'code/sourcedir.tar.gz', { 'train.py': SCRIPT });
    await writeFile(join(work, 'train.py'), SCRIPT);

    // Baselines: 50 bare interpreter runs one after another; one job alone (after a warm-up job).
    let sumBareMs = 0;
    for (let i = 0; i < JOBS; i++) sumBareMs += await bareRun(join(work, 'train.py'));
    const single = async (name: string) => {
      const t0 = Date.now();
      await createJob(sm, scriptJobRequest(name, source, BUCKET));
      await waitCompleted(sm, name);
      return Date.now() - t0;
    };
    await single('burst-warmup');
    const singleJobMs = await single('burst-single');

    // The burst.
    const names = Array.from({ length: JOBS }, (_, i) => `burst-${String(i).padStart(3, '0')}`);
    const t0 = Date.now();
    await Promise.all(names.map((n) => createJob(sm, scriptJobRequest(n, source, BUCKET))));
    const submitMs = Date.now() - t0;
    const waited = new Set<string>();
    const done = new Map<string, DescribeTrainingJobCommandOutput>();
    const deadline = Date.now() + 30 * 60_000;
    while (done.size < names.length && Date.now() < deadline) {
      for (const n of names.filter((x) => !done.has(x))) {
        const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: n }));
        const last = d.SecondaryStatusTransitions?.at(-1);
        if (last?.StatusMessage?.startsWith('Waiting for capacity')) waited.add(n);
        if (d.TrainingJobStatus !== 'InProgress' && d.TrainingJobStatus !== 'Stopping') done.set(n, d);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const ended = [...done.values()];
    const wallMs = Math.max(...ended.map((d) => d.TrainingEndTime!.getTime())) - t0;
    const completed = ended.filter((d) => d.TrainingJobStatus === 'Completed').length;
    // None lost: every job is listed, and every one ended.
    const listed = new Set<string>();
    let token: string | undefined;
    do {
      const page = await sm.send(new ListTrainingJobsCommand({ NameContains: 'burst-', MaxResults: 100, NextToken: token }));
      for (const s of page.TrainingJobSummaries ?? []) listed.add(s.TrainingJobName!);
      token = page.NextToken;
    } while (token);
    const lost = names.filter((n) => !listed.has(n) || !done.has(n)).length;
    // Placement: TrainingStartTime is set when capacity is granted.
    const starts = ended.map((d) => ({ created: d.CreationTime!.getTime(), name: d.TrainingJobName!, start: d.TrainingStartTime!.getTime(), end: d.TrainingEndTime!.getTime() }));
    const byCreation = [...starts].sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : 1));
    let outOfOrder = 0;
    for (let i = 1; i < byCreation.length; i++) if (byCreation[i]!.start < byCreation[i - 1]!.start) outOfOrder++;
    let maxConcurrent = 0;
    for (const s of starts) maxConcurrent = Math.max(maxConcurrent, starts.filter((o) => o.start <= s.start && o.end > s.start).length);
    return {
      name: 'training-burst',
      jobs: JOBS,
      instanceType: 'ml.m5.large',
      completed,
      lost,
      waitedForCapacity: waited.size,
      maxConcurrent,
      placedOutOfCreationOrder: outOfOrder,
      submitMs,
      wallMs,
      sumBareMs: Math.round(sumBareMs),
      singleJobMs,
      wallVsSumBare: Number((wallMs / sumBareMs).toFixed(2)),
      wallVsSingleJob: Number((wallMs / singleJobMs).toFixed(1)),
      // Other work on the machine during the run (the 1-minute load average at the end): 2 cores.
      loadAverage: Number((loadavg()[0] ?? 0).toFixed(1)),
      perJobMs: Math.round(wallMs / JOBS),
    };
  } finally {
    await clary.stop();
    await rm(work, { recursive: true, force: true });
  }
}
