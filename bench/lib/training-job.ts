import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, type CreateTrainingJobCommandInput, type DescribeTrainingJobCommandOutput, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { Pack } from 'tar';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the training benchmarks share: a sourcedir.tar.gz upload, a script-mode request, a wait for the end. */
export const SKLEARN_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';

export async function uploadSource(s3: S3Client, bucket: string, key: string, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-bench-src-'));
  try {
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const pack = new Pack({ gzip: true, cwd: dir, portable: true });
    const chunks: Buffer[] = [];
    pack.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((r) => pack.on('end', () => r()));
    for (const name of Object.keys(files)) pack.add(name);
    pack.end();
    await done;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.concat(chunks) }));
    return `s3://${bucket}/${key}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A script-mode job (scikit-learn image, one ml.m5.large) running train.py from `source`. */
export function scriptJobRequest(name: string, source: string, bucket: string, extra: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: 'arn:aws:iam::000000000000:role/Bench',
    AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
    HyperParameters: { sagemaker_program: '"train.py"', sagemaker_submit_directory: JSON.stringify(source) },
    OutputDataConfig: { S3OutputPath: `s3://${bucket}/out` },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 1800 },
    ...extra,
  };
}

export const createJob = (sm: SageMakerClient, req: CreateTrainingJobCommandInput) => sm.send(new CreateTrainingJobCommand(req));

/** Polls until the job ends; throws unless it Completed. */
export async function waitCompleted(sm: SageMakerClient, name: string, pollMs = 20): Promise<DescribeTrainingJobCommandOutput> {
  for (;;) {
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
    if (d.TrainingJobStatus === 'Completed') return d;
    if (d.TrainingJobStatus === 'Failed' || d.TrainingJobStatus === 'Stopped') throw new Error(`job ${name} ${d.TrainingJobStatus}: ${d.FailureReason}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

export const p50 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
