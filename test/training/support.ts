import { PutObjectCommand, S3Client, CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, SageMakerClient, type CreateTrainingJobCommandInput, type DescribeTrainingJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { Pack, list as tarList } from 'tar';
import type { Readable } from 'node:stream';
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

/** The entry paths of a tar.gz object (model.tar.gz, output.tar.gz). */
export async function tarEntries(server: TestServer, bucket: string, key: string): Promise<string[]> {
  const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const entries: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const lister = tarList({ onReadEntry: (e) => entries.push(e.path) });
    (got.Body as Readable).pipe(lister as unknown as NodeJS.WritableStream).on('finish', () => resolve()).on('error', reject);
  });
  return entries;
}

/** Every log line of the training job's streams that start with `prefix` (e.g. `<job>/algo-2-`), joined by newlines. */
export async function jobLogs(server: TestServer, prefix: string): Promise<string> {
  const logs = new CloudWatchLogsClient(server.clientConfig);
  const lines: string[] = [];
  let nextToken: string | undefined;
  do {
    // Pages below the 10,000 maximum: a full page of exactly 10,000 comes back without a nextToken (reported).
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/TrainingJobs', logStreamNamePrefix: prefix, nextToken, limit: 5000 }));
    lines.push(...(page.events ?? []).map((e) => e.message ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  return lines.join('\n');
}

/** A script-mode job request (scikit-learn image, File mode, one ml.m5.large) running `train.py` from `source`. */
export function scriptJob(name: string, source: string, extra: Partial<CreateTrainingJobCommandInput> = {}, hyperParameters: Record<string, unknown> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: ROLE,
    AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
    HyperParameters: sdkHyperParameters({ ...hyperParameters, sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
    OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 600 },
    ...extra,
  };
}
