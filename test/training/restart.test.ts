import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { list as tarList } from 'tar';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openInstanceCgroup } from '../../src/compute/cgroups/index.js';
import { ProcessRunner } from '../../src/runners/process/index.js';
import { spawnClary, type SpawnedClary } from '../support/clary-process.js';
import type { TestServer } from '../support/server.js';
import { createBucket, ROLE, SKLEARN_IMAGE, sdkHyperParameters, uploadSourceDir, waitForJob } from './support.js';

/**
 * kill -9 of Clary while training jobs run, then a new Clary on the same data dir: a job whose
 * instance still runs is reattached and completes with its logs continued (no line twice); a job
 * whose instance died with Clary fails saying so; jobs that ended while Clary was down get their
 * real outcome; an instance no job refers to is swept away. Never a job stuck InProgress.
 *
 * Each script prints three lines, then waits for /tmp/release (the run dir's tmp/ on the host),
 * so the test decides when each instance ends.
 */
const TRAIN_PY = `
import os, sys, time
name = os.environ["TRAINING_JOB_NAME"]
for i in range(3):
    print(f"{name} line {i}", flush=True)
deadline = time.time() + 90
while not os.path.exists("/tmp/release") and time.time() < deadline:
    time.sleep(0.1)
print(f"{name} released", flush=True)
if "--outcome" in sys.argv and sys.argv[sys.argv.index("--outcome") + 1] == "fail":
    raise ValueError("the data was bad")
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.txt"), "w") as f:
    f.write(f"{name} trained")
`;

const JOBS = { resumed: 'restart-resumed', lost: 'restart-lost', doneOk: 'restart-done-ok', doneFail: 'restart-done-fail' } as const;

let dataDir: string;
let clary: SpawnedClary | undefined;
let server: TestServer;

/** What the helpers of ./support.js use of a TestServer: the client config of a spawned Clary. */
async function asServer(c: SpawnedClary): Promise<TestServer> {
  const credentials = await c.credentials();
  return { clientConfig: { endpoint: c.endpoint, region: 'us-east-1', credentials, forcePathStyle: true } } as unknown as TestServer;
}

const runDir = (job: string) => join(dataDir, 'runs', `${job}-algo-1`);
const release = (job: string) => writeFile(join(runDir(job), 'tmp', 'release'), '');
const exists = (p: string) => access(p).then(() => true, () => false);

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function events(job: string): Promise<{ streams: string[]; lines: string[] }> {
  const logs = new CloudWatchLogsClient(server.clientConfig);
  const group = '/aws/sagemaker/TrainingJobs';
  const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: `${job}/` }))).logStreams ?? [];
  const got = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: `${job}/algo-1-` }));
  return { streams: streams.map((s) => s.logStreamName!), lines: (got.events ?? []).map((e) => e.message!) };
}

/** Kills an instance the way a crash of the whole machine would: its supervisor and every process in its cgroup. */
async function killInstance(job: string): Promise<void> {
  const handle = JSON.parse(await readFile(join(runDir(job), 'handle.json'), 'utf8')) as { group: string; supervisorPid: number };
  try {
    process.kill(handle.supervisorPid, 'SIGKILL');
  } catch {
    // already gone
  }
  await (await openInstanceCgroup(handle.group)).kill();
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clary-restart-'));
  clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
  server = await asServer(clary);
  await createBucket(server, 'restart');
  const source = await uploadSourceDir(server, 'restart', 'code/gated.tar.gz', { 'train.py': TRAIN_PY });
  const sm = new SageMakerClient(server.clientConfig);
  for (const name of Object.values(JOBS)) {
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: name,
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source, outcome: name === JOBS.doneFail ? 'fail' : 'ok' }),
        OutputDataConfig: { S3OutputPath: 's3://restart/output' },
        ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
  }
  for (const name of Object.values(JOBS)) {
    const d = await waitForJob(server, name, 60_000, ['Training', 'Completed', 'Failed', 'Stopped']);
    expect(d.SecondaryStatus, `${name}: ${d.FailureReason}`).toBe('Training');
    await until(`${name}'s first lines in its log stream`, async () => (await events(name)).lines.includes(`${name} line 2`));
  }
  // The output cursor is saved just after each batch is stored: let the last save land.
  await new Promise((r) => setTimeout(r, 1000));

  clary.child.kill('SIGKILL');
  await new Promise((r) => (clary!.child.exitCode !== null || clary!.child.signalCode !== null ? r(undefined) : clary!.child.once('exit', r)));

  // While Clary is down: one instance dies with it, two end on their own, one orphan appears.
  await killInstance(JOBS.lost);
  for (const job of [JOBS.doneOk, JOBS.doneFail]) {
    await release(job);
    await until(`${job} to end`, () => exists(join(runDir(job), 'exit')));
  }
  const orphans = new ProcessRunner({ runRoot: join(dataDir, 'runs') });
  await orphans.start({ id: 'orphan-algo-1', command: ['/bin/sleep', '300'], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 256 * 1024 ** 2 }, network: { mode: 'none' } });

  clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
  server = await asServer(clary);
}, 110_000);

afterAll(async () => {
  for (const job of Object.values(JOBS)) await release(job).catch(() => undefined);
  if (clary) for (const job of Object.values(JOBS)) await waitForJob(server, job, 20_000).catch(() => undefined);
  await clary?.stop();
  for (const id of ['orphan-algo-1', ...Object.values(JOBS).map((j) => `${j}-algo-1`)]) {
    const handle = await readFile(join(dataDir, 'runs', id, 'handle.json'), 'utf8').catch(() => undefined);
    if (handle) await new ProcessRunner({ runRoot: join(dataDir, 'runs') }).cleanup(JSON.parse(handle)).catch(() => undefined);
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a Clary restart mid-job (kill -9)', () => {
  it('reattaches to a running instance: the job completes, uploads its model and continues its log stream without repeating a line', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    // Still gated: the new Clary must hold it as a running job.
    const during = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: JOBS.resumed }));
    expect(during.TrainingJobStatus).toBe('InProgress');
    await release(JOBS.resumed);
    const d = await waitForJob(server, JOBS.resumed);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual(['Starting', 'Downloading', 'Training', 'Uploading', 'Completed']);

    const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'restart', Key: `output/${JOBS.resumed}/output/model.tar.gz` }));
    const entries: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lister = tarList({ onReadEntry: (e) => entries.push(e.path) });
      (got.Body as Readable).pipe(lister as unknown as NodeJS.WritableStream).on('finish', () => resolve()).on('error', reject);
    });
    expect(entries).toContain('model.txt');

    const { streams, lines } = await events(JOBS.resumed);
    expect(streams).toHaveLength(1);
    const mine = lines.filter((l) => l.startsWith(`${JOBS.resumed} `));
    expect(mine).toEqual([0, 1, 2].map((i) => `${JOBS.resumed} line ${i}`).concat(`${JOBS.resumed} released`));
  });

  it('fails a job whose instance died while Clary was down, saying the instance was lost', async () => {
    const d = await waitForJob(server, JOBS.lost);
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/instance algo-1 was lost while Clary was down/);
    await until('the lost instance to be cleaned up', async () => !(await exists(runDir(JOBS.lost))));
  });

  it('reports jobs that ended while Clary was down with their real outcome', async () => {
    const ok = await waitForJob(server, JOBS.doneOk);
    expect(ok.FailureReason).toBeUndefined();
    expect(ok.TrainingJobStatus).toBe('Completed');
    await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'restart', Key: `output/${JOBS.doneOk}/output/model.tar.gz` }));
    expect((await events(JOBS.doneOk)).lines).toContain(`${JOBS.doneOk} released`);

    const failed = await waitForJob(server, JOBS.doneFail);
    expect(failed.TrainingJobStatus).toBe('Failed');
    expect(failed.FailureReason).toMatch(/^AlgorithmError: ExecuteUserScriptError:[\s\S]*ValueError: the data was bad/);
  });

  it('removes an instance that no unfinished job refers to', async () => {
    const orphan = join(dataDir, 'runs', 'orphan-algo-1');
    expect(await exists(orphan)).toBe(false);
  });
});
