import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateModelCommand, CreateTransformJobCommand, DescribeTransformJobCommand, SageMakerClient, type CreateTransformJobCommandInput, type DescribeTransformJobCommandOutput } from '@aws-sdk/client-sagemaker';
import { create } from 'tar';
import type { TestServer } from '../support/server.js';
import { ROLE, SKLEARN_IMAGE, uploadSourceDir } from '../training/support.js';

/** A transform instance type small enough for the test machine (2 vCPU, 8 GiB). */
export const INSTANCE_TYPE = 'ml.m5.large';

/**
 * The inference script: one prediction per input line ("<3x+1>" or, with TEST_TAG_BATCH set,
 * "<3x+1>;n=<records in the request>"), and an input_fn that raises on "boom". A line that is
 * not one number fails too (so an InputFilter that was not applied shows).
 */
export const BATCH_INFERENCE_PY = `
import os, joblib
import numpy as np

def model_fn(model_dir):
    delay = float(os.environ.get("TEST_MODEL_FN_DELAY", "0"))
    if delay:
        import time
        time.sleep(delay)
    return joblib.load(os.path.join(model_dir, "model.joblib"))

def input_fn(body, content_type):
    text = body.decode() if isinstance(body, bytes) else body
    if "boom" in text:
        raise ValueError("boom: this input is not a number")
    return np.array([[float(l)] for l in text.split("\\n") if l.strip()])

def predict_fn(data, model):
    return model.predict(data)

def output_fn(prediction, accept):
    tag = ";n=%d" % len(prediction) if os.environ.get("TEST_TAG_BATCH") else ""
    return "".join("%.1f%s\\n" % (p, tag) for p in prediction), "text/csv"
`;

/** Trains y = 3x + 1 here with /usr/bin/python3 (scikit-learn + joblib) and uploads model.tar.gz and sourcedir.tar.gz. */
export async function sklearnBatchModel(server: TestServer, bucket: string, prefix: string): Promise<{ modelData: string; source: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-tf-model-'));
  try {
    const py = spawnSync('/usr/bin/python3', ['-c', 'import joblib, sys, numpy as np\nfrom sklearn.linear_model import LinearRegression\nx = np.arange(10).reshape(-1, 1)\njoblib.dump(LinearRegression().fit(x, 3 * x[:, 0] + 1), sys.argv[1])', join(dir, 'model.joblib')], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(py.stderr);
    await create({ gzip: true, cwd: dir, file: join(dir, 'model.tar.gz'), portable: true }, ['model.joblib']);
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/model.tar.gz`, Body: await readFile(join(dir, 'model.tar.gz')) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const source = await uploadSourceDir(server, bucket, `${prefix}/sourcedir.tar.gz`, { 'inference.py': BATCH_INFERENCE_PY });
  return { modelData: `s3://${bucket}/${prefix}/model.tar.gz`, source };
}

export async function createSklearnModel(server: TestServer, name: string, model: { modelData: string; source: string }, env: Record<string, string> = {}): Promise<void> {
  await new SageMakerClient(server.clientConfig).send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: SKLEARN_IMAGE, ModelDataUrl: model.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: model.source, ...env } },
    }),
  );
}

/** A CreateTransformJob request over s3://bucket/<input> → s3://bucket/<output>, CSV lines. */
export function transformRequest(name: string, model: string, bucket: string, input: string, output: string, extra: Partial<CreateTransformJobCommandInput> = {}): CreateTransformJobCommandInput {
  return {
    TransformJobName: name,
    ModelName: model,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${bucket}/${input}` } }, ContentType: 'text/csv', SplitType: 'Line' },
    TransformOutput: { S3OutputPath: `s3://${bucket}/${output}`, AssembleWith: 'Line', Accept: 'text/csv' },
    TransformResources: { InstanceType: INSTANCE_TYPE, InstanceCount: 1 },
    ...extra,
  };
}

export async function startTransform(server: TestServer, req: CreateTransformJobCommandInput): Promise<string> {
  return (await new SageMakerClient(server.clientConfig).send(new CreateTransformJobCommand(req))).TransformJobArn!;
}

/** Polls DescribeTransformJob until `until` (or the deadline: then the last answer). */
export async function waitForTransform(server: TestServer, name: string, timeoutMs = 120_000, until = ['Completed', 'Failed', 'Stopped']): Promise<DescribeTransformJobCommandOutput> {
  const sm = new SageMakerClient(server.clientConfig);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await sm.send(new DescribeTransformJobCommand({ TransformJobName: name }));
    if (until.includes(d.TransformJobStatus!) || Date.now() > deadline) return d;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function getText(server: TestServer, bucket: string, key: string): Promise<string> {
  const out = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

export async function listKeys(server: TestServer, bucket: string, prefix: string): Promise<string[]> {
  const out = await new S3Client(server.clientConfig).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function errorOf(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to fail');
}
