import { PutObjectCommand, S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, SageMakerClient, type DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { Pack } from 'tar';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestServer } from '../support/server.js';

/** A sourcedir.tar.gz with the given files, uploaded to s3://bucket/key. */
export async function uploadSourceDir(server: TestServer, bucket: string, key: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-src-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const pack = new Pack({ gzip: true, cwd: dir, portable: true });
    const chunks: Buffer[] = [];
    pack.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => pack.on('end', () => r()));
    for (const name of Object.keys(files)) pack.add(name);
    pack.end();
    await done;
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.concat(chunks) }));
    return `s3://${bucket}/${key}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function createBucket(server: TestServer, bucket: string): Promise<void> {
  await new S3Client(server.clientConfig).send(new CreateBucketCommand({ Bucket: bucket }));
}

export async function putText(server: TestServer, bucket: string, key: string, body: string): Promise<void> {
  await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** Polls DescribeTrainingJob until a terminal status (or the deadline: then the last answer). */
export async function waitForJob(server: TestServer, name: string, timeoutMs = 120_000, until = ['Completed', 'Failed', 'Stopped']): Promise<DescribeTrainingJobCommandOutput> {
  const sm = new SageMakerClient(server.clientConfig);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    if (until.includes(d.TrainingJobStatus!) || until.includes(d.SecondaryStatus!) || Date.now() > deadline) return d;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** JSON-encodes hyperparameters as the SageMaker Python SDK does. */
export const sdkHyperParameters = (hp: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(hp).map(([k, v]) => [k, JSON.stringify(v)]));

export const SKLEARN_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
export const XGBOOST_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
export const ROLE = 'arn:aws:iam::000000000000:role/SageMakerRole';
