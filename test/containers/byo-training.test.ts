import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient, StopTrainingJobCommand, type CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Parser } from 'tar';
import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { ownerOf } from '../../src/runners/container/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';
import { createBucket, jobLogs, putText, ROLE, waitForJob } from '../training/support.js';

/**
 * Bring-your-own training images on the container lane, end to end through the SageMaker API:
 * an image built here from busybox-static whose `train` follows the training contract (§4.1).
 */
const TRAIN = `#!/bin/sh
hp=$(cat /opt/ml/input/config/hyperparameters.json)
echo "train: hyperparameters $hp"
mode=$(echo "$hp" | sed -n 's/.*"mode": *"\\([a-z0-9]*\\)".*/\\1/p')
case "$mode" in
  fail) echo "bad data in channel train" > /opt/ml/output/failure; exit 3 ;;
  exit7) echo "giving up"; exit 7 ;;
  oom) echo "allocating"; awk 'BEGIN { s = sprintf("%1000000000s", ""); t = s s s s s; print "allocated " length(t) }' || exit $?; exit 0 ;;
  hosts) me=$(hostname); peer=algo-1; [ "$me" = algo-1 ] && peer=algo-2
    echo "train: on $me, peer $peer $(grep -w $peer /etc/hosts | cut -f1)"
    { cat /opt/ml/input/config/resourceconfig.json; echo; echo "peer $peer $(grep -w $peer /etc/hosts | cut -f1)"; } > /opt/ml/model/model.txt; exit 0 ;;
  wait) trap 'echo "got SIGTERM"; echo stopped > /opt/ml/model/model.txt; exit 0' TERM; echo waiting; while :; do sleep 0.1; done ;;
esac
{
  echo "hyperparameters: $hp"
  echo "data: $(cat /opt/ml/input/data/train/data.txt)"
  echo "env: $MY_SETTING"
  echo "interfaces: $(ls /sys/class/net | tr '\\n' ' ')"
  echo "hostname: $(hostname)"
} > /opt/ml/model/model.txt
echo "train: done"
`;

const skipReason = podmanSkipReason();
let server: TestServer;
let imageUri: string;
let localName: string;

beforeAll(async () => {
  if (skipReason) return;
  localName = await busyboxImage({ repository: 'clary-test/byo-trainer', files: { '/usr/bin/train': { content: TRAIN, mode: 0o755 } } });
  // The job names it as SageMaker users do: an ECR URI, found locally as <repo>:<tag>.
  imageUri = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${localName}`;
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'byo/train/data.txt', 'rows 1 2 3');
});
afterAll(async () => {
  const owner = server && ownerOf(server.dataDir);
  await server?.close();
  // Clary leaves running containers for the next Clary to reattach; a failed test must not leave them behind.
  if (owner) {
    const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${owner}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
  }
});

function job(name: string, extra: Partial<CreateTrainingJobCommandInput> = {}, hp: Record<string, string> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: ROLE,
    AlgorithmSpecification: { TrainingImage: imageUri, TrainingInputMode: 'File' },
    HyperParameters: { epochs: '3', ...hp },
    Environment: { MY_SETTING: 'from-environment' },
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/byo/train/' } } }],
    OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
    ...extra,
  };
}

/** The text of one file inside a tar.gz object. */
async function fileInTarGz(key: string, path: string): Promise<string | undefined> {
  const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'ml-data', Key: key }));
  let text: string | undefined;
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      onReadEntry: (e) => {
        if (e.path.replace(/^\.\//, '') !== path) return void e.resume();
        const chunks: Buffer[] = [];
        e.on('data', (c: Buffer) => chunks.push(c));
        e.on('end', () => (text = Buffer.concat(chunks).toString('utf8')));
      },
    });
    (got.Body as Readable).pipe(parser as unknown as NodeJS.WritableStream).on('finish', () => resolve()).on('error', reject);
  });
  return text;
}

/** This server's containers (all states) of one job, by the engine's own listing. */
function containersOf(name: string): string[] {
  const out = execFileSync('podman', ['ps', '-a', '--filter', `label=clary.owner=${ownerOf(server.dataDir)}`, '--format', '{{.Names}}'], { encoding: 'utf8' });
  return out.split('\n').filter((n) => n.endsWith(`-${name}-algo-1`));
}

describe.skipIf(skipReason !== '')(`training jobs with custom images on the container lane${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const sm = () => new SageMakerClient(server.clientConfig);

  it('runs `train` in the image: Completed, model.tar.gz holds what it wrote, the lane is named in the status', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-ok')));
    const d = await waitForJob(server, 'byo-ok');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const model = await fileInTarGz('output/byo-ok/output/model.tar.gz', 'model.txt');
    expect(model).toContain('"epochs"');
    expect(model).toContain('data: rows 1 2 3');
    expect(model).toContain('env: from-environment');
    expect(model).toContain('hostname: algo-1');
    const starting = d.SecondaryStatusTransitions?.find((t) => t.Status === 'Starting' && t.StatusMessage?.includes('container lane'));
    expect(starting?.StatusMessage).toContain(`image ${imageUri} is not a SageMaker framework image`);
    expect(starting?.StatusMessage).toContain(localName);
    const logs = await jobLogs(server, 'byo-ok/algo-1-');
    expect(logs).toContain('train: hyperparameters');
    expect(logs).toContain('train: done');
    expect(containersOf('byo-ok')).toEqual([]);
  });

  it('EnableNetworkIsolation: the container has no network but loopback', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-isolated', { EnableNetworkIsolation: true })));
    const d = await waitForJob(server, 'byo-isolated');
    expect(d.TrainingJobStatus).toBe('Completed');
    expect((await fileInTarGz('output/byo-isolated/output/model.tar.gz', 'model.txt'))?.match(/interfaces: (.*)/)?.[1]?.trim()).toBe('lo');
  });

  it('ContainerEntrypoint and ContainerArguments replace `train`', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-entry', { AlgorithmSpecification: { TrainingImage: imageUri, TrainingInputMode: 'File', ContainerEntrypoint: ['/bin/sh', '-c'], ContainerArguments: ['echo "entry $0" > /opt/ml/model/model.txt', 'custom'] } })));
    const d = await waitForJob(server, 'byo-entry');
    expect(d.TrainingJobStatus).toBe('Completed');
    expect(await fileInTarGz('output/byo-entry/output/model.tar.gz', 'model.txt')).toBe('entry custom\n');
  });

  it('an image that is not here fails at once, saying what to do', async () => {
    const missing = '123456789012.dkr.ecr.us-east-1.amazonaws.com/no-such-trainer:1.0';
    await sm().send(new CreateTrainingJobCommand(job('byo-missing', { AlgorithmSpecification: { TrainingImage: missing, TrainingInputMode: 'File' } })));
    const d = await waitForJob(server, 'byo-missing');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: /);
    expect(d.FailureReason).toContain('image not found locally and no registry reachable: build or load it first (podman load / podman import / clary images build)');
    expect(d.FailureReason).toContain('no-such-trainer:1.0');
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).toEqual(['Starting', 'Failed']);
  });

  it('`train` failing: the failure file is the reason; without one, the exit code', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-fail', {}, { mode: 'fail' })));
    await sm().send(new CreateTrainingJobCommand(job('byo-exit7', {}, { mode: 'exit7' })));
    const [fail, exit7] = await Promise.all([waitForJob(server, 'byo-fail'), waitForJob(server, 'byo-exit7')]);
    expect(fail.TrainingJobStatus).toBe('Failed');
    expect(fail.FailureReason).toBe('AlgorithmError: bad data in channel train\n');
    expect(exit7.TrainingJobStatus).toBe('Failed');
    expect(exit7.FailureReason).toBe('AlgorithmError: the training process on algo-1 exited with code 7');
    expect(await jobLogs(server, 'byo-exit7/algo-1-')).toContain('giving up');
  });

  it('an entrypoint that does not exist: Failed, saying the command could not be run', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-noentry', { AlgorithmSpecification: { TrainingImage: imageUri, TrainingInputMode: 'File', ContainerEntrypoint: ['/opt/no-such-program'], ContainerArguments: ['train'] } })));
    const d = await waitForJob(server, 'byo-noentry');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: the container could not run its command \(\/opt\/no-such-program train\): No such file or directory/);
    expect(containersOf('byo-noentry')).toEqual([]);
  });

  it("going over the instance type's memory (ml.t3.medium, 4 GiB): Failed with OutOfMemoryError", async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-oom', { ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 1, VolumeSizeInGB: 1 } }, { mode: 'oom' })));
    const d = await waitForJob(server, 'byo-oom');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^OutOfMemoryError: /);
    expect(await jobLogs(server, 'byo-oom/algo-1-')).not.toContain('allocated');
  }, 180_000);

  it('StopTrainingJob: SIGTERM reaches `train`, the model it saved is uploaded, the container is removed', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-stop', {}, { mode: 'wait' })));
    for (let i = 0; i < 300 && !(await jobLogs(server, 'byo-stop/algo-1-')).includes('waiting'); i++) await new Promise((r) => setTimeout(r, 100));
    await sm().send(new StopTrainingJobCommand({ TrainingJobName: 'byo-stop' }));
    const d = await waitForJob(server, 'byo-stop');
    expect(d.TrainingJobStatus).toBe('Stopped');
    expect(await fileInTarGz('output/byo-stop/output/model.tar.gz', 'model.txt')).toBe('stopped\n');
    expect(await jobLogs(server, 'byo-stop/algo-1-')).toContain('got SIGTERM');
    expect(containersOf('byo-stop')).toEqual([]);
  });

  it('two instances: each container is its host (algo-1, algo-2) with its own /opt/ml, and knows the other', async () => {
    await sm().send(new CreateTrainingJobCommand(job('byo-two', { ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 2, VolumeSizeInGB: 1 } }, { mode: 'hosts' })));
    const d = await waitForJob(server, 'byo-two');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    // The model is algo-1's, as on SageMaker.
    const model = await fileInTarGz('output/byo-two/output/model.tar.gz', 'model.txt');
    expect(JSON.parse(model!.split('\n')[0]!)).toMatchObject({ current_host: 'algo-1', hosts: ['algo-1', 'algo-2'] });
    // On the job's private network (docs/networking.md), algo-N are their addresses there.
    expect(model).toMatch(/^peer algo-2 10\.213\.\d+\.3$/m);
    expect(await jobLogs(server, 'byo-two/algo-2-')).toMatch(/train: on algo-2, peer algo-1 10\.213\.\d+\.2$/m);
    expect(containersOf('byo-two')).toEqual([]);
  });
});
