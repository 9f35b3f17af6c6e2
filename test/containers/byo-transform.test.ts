import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ownerOf } from '../../src/runners/container/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { podmanSkipReason } from '../support/busybox-image.js';
import { byoModelArchive, byoServingImage } from '../support/byo-serving-image.js';
import { createBucket, putText, ROLE } from '../training/support.js';
import { getText, listKeys, startTransform, transformRequest, waitForTransform } from '../transform/support.js';

/** Batch transform with a bring-your-own image: the model's container runs `serve` on the container lane. */
const skipReason = podmanSkipReason();
const ecr = (local: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${local}`;
let server: TestServer;
let image: string;

function containersOf(dataDir: string): string[] {
  return execFileSync('podman', ['ps', '-a', '--format', '{{.Names}}', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** model.tar.gz holding model.txt = `answer` (the hosting test trains one with the image). */
async function putModel(key: string, answer: string): Promise<string> {
  await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: 'ml-data', Key: key, Body: await byoModelArchive(answer) }));
  return `s3://ml-data/${key}`;
}

beforeAll(async () => {
  if (skipReason) return;
  image = ecr(await byoServingImage());
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'tf-in/a.csv', '1\n2\n3');
  await putText(server, 'ml-data', 'tf-in/b.csv', '4');
  const sm = new SageMakerClient(server.clientConfig);
  // Network isolation is asked for: the container lane says in the log that it does not enforce it yet.
  await sm.send(new CreateModelCommand({ ModelName: 'byo-tf', ExecutionRoleArn: ROLE, EnableNetworkIsolation: true, PrimaryContainer: { Image: image, ModelDataUrl: await putModel('byo-model/model.tar.gz', '7'), Environment: { MY_SETTING: 'batch' } } }));
  await sm.send(new CreateModelCommand({ ModelName: 'byo-tf-exit', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: image, ModelDataUrl: 's3://ml-data/byo-model/model.tar.gz', Environment: { SERVE_MODE: 'exit' } } }));
  await sm.send(new CreateModelCommand({ ModelName: 'byo-tf-missing', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: ecr('clary-test/no-such-server:2') } }));
}, 300_000);

afterAll(async () => {
  if (!server) return;
  const dataDir = server.dataDir;
  await server.close();
  const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
}, 120_000);

describe.skipIf(skipReason !== '')(`transform jobs on the container lane${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('transforms every input object through the BYO server, then removes its container', async () => {
    await startTransform(server, transformRequest('byo-job', 'byo-tf', 'ml-data', 'tf-in/', 'tf-out', { BatchStrategy: 'MultiRecord', Environment: { EXTRA: '1' } }));
    const d = await waitForTransform(server, 'byo-job', 240_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TransformJobStatus).toBe('Completed');
    expect(await listKeys(server, 'ml-data', 'tf-out/')).toEqual(['tf-out/a.csv.out', 'tf-out/b.csv.out']);
    expect(await getText(server, 'ml-data', 'tf-out/a.csv.out')).toBe('model=7 body=1\n2\n3 port=8080 env=batch\n');
    expect(await getText(server, 'ml-data', 'tf-out/b.csv.out')).toBe('model=7 body=4 port=8080 env=batch\n');
    const logs = await new CloudWatchLogsClient(server.clientConfig).send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TransformJobs', logStreamNamePrefix: 'byo-job/' }));
    expect(logs.events?.[0]?.message).toMatch(/^clary: container lane: image .* is not a SageMaker framework image, so it runs as a container/);
    expect(logs.events?.[1]?.message).toMatch(/^clary: EnableNetworkIsolation is not enforced on the container lane yet/);
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('fails a job whose server exits before /ping answers, saying which lane', async () => {
    await startTransform(server, transformRequest('byo-job-exit', 'byo-tf-exit', 'ml-data', 'tf-in/', 'tf-out-exit'));
    const d = await waitForTransform(server, 'byo-job-exit', 240_000);
    expect(d.TransformJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: the model server exited with code 3 before it passed the ping health check \(container lane: .*\)\. Last output: serve: cannot load the model/);
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('fails a job whose image is not on this machine', async () => {
    await startTransform(server, transformRequest('byo-job-missing', 'byo-tf-missing', 'ml-data', 'tf-in/', 'tf-out-missing'));
    const d = await waitForTransform(server, 'byo-job-missing');
    expect(d.TransformJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/is not a SageMaker framework image, so it runs as a container: image not found locally and no registry reachable/);
  }, 120_000);
});
