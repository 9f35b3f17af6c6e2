import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, SageMakerClient, type DescribeEndpointCommandOutput, type ProductionVariant } from '@aws-sdk/client-sagemaker';
import { CreateTrainingJobCommand } from '@aws-sdk/client-sagemaker';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { TestServer } from '../support/server.js';
import { putText, ROLE, scriptJob, uploadSourceDir, waitForJob, XGBOOST_IMAGE } from '../training/support.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../../src/services/sagemaker/endpoints-doc.js';
import type { InstanceHandle } from '../../src/runners/runner.js';

export const SKLEARN_IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
export { XGBOOST_IMAGE, ROLE };
/** A small hosting type (2 vCPU, 4 GiB): several fit the test machine at once. */
export const INSTANCE_TYPE = 'ml.t2.medium';

/** Trains y = 3x + 1 (LinearRegression) with script mode. */
export const TRAIN_PY = `
import os, pickle
import numpy as np
from sklearn.linear_model import LinearRegression
data = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")
model = LinearRegression().fit(data[:, 1:], data[:, 0])
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.pkl"), "wb") as f:
    pickle.dump(model, f)
`;

/** The inference script the SDK would deploy with it: model_fn, and an input_fn that raises on "boom". */
export const INFERENCE_PY = `
import os, pickle
import numpy as np

def model_fn(model_dir):
    delay = float(os.environ.get("TEST_MODEL_FN_DELAY", "0"))
    if delay:
        import time
        time.sleep(delay)
    with open(os.path.join(model_dir, "model.pkl"), "rb") as f:
        return pickle.load(f)

def input_fn(body, content_type):
    text = body.decode() if isinstance(body, bytes) else body
    if text.strip() == "boom":
        raise ValueError("boom: this input is not a number")
    return np.array([[float(x)] for x in text.strip().split("\\n")])

def predict_fn(data, model):
    return model.predict(data)

def output_fn(prediction, accept):
    if accept == "application/jsonlines":
        # A streamed answer: one line per prediction, sent as it is produced.
        return (("%.3f\\n" % p).encode() for p in prediction), "application/jsonlines"
    return ",".join("%.3f" % p for p in prediction), "text/csv"
`;

/** Trains the sklearn model with a real Clary training job; returns its model.tar.gz and the sourcedir. */
export async function trainSklearnModel(server: TestServer, bucket: string, job: string): Promise<{ modelData: string; source: string }> {
  const rows = Array.from({ length: 30 }, (_, i) => `${3 * i + 1},${i}`).join('\n');
  await putText(server, bucket, `${job}/train/train.csv`, rows);
  const source = await uploadSourceDir(server, bucket, `${job}/code/sourcedir.tar.gz`, { 'train.py': TRAIN_PY, 'inference.py': INFERENCE_PY });
  await new SageMakerClient(server.clientConfig).send(
    new CreateTrainingJobCommand(
      scriptJob(job, source, {
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${bucket}/${job}/train/` } } }],
        OutputDataConfig: { S3OutputPath: `s3://${bucket}/output` },
      }),
    ),
  );
  const d = await waitForJob(server, job, 180_000);
  if (d.TrainingJobStatus !== 'Completed') throw new Error(`training failed: ${d.FailureReason}`);
  return { modelData: d.ModelArtifacts!.S3ModelArtifacts!, source };
}

/** Model + endpoint config + endpoint in one go. */
export async function deploy(
  server: TestServer,
  name: string,
  container: { Image: string; ModelDataUrl?: string; Environment?: Record<string, string> },
  variants: Partial<ProductionVariant>[] = [{}],
): Promise<void> {
  const sm = new SageMakerClient(server.clientConfig);
  await sm.send(new CreateModelCommand({ ModelName: name, ExecutionRoleArn: ROLE, PrimaryContainer: container }));
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: variants.map((v, i) => ({ VariantName: i === 0 ? 'AllTraffic' : `Variant${i + 1}`, ModelName: name, InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1, ...v })),
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
}

/** Polls DescribeEndpoint until the status is one of `until` (or the deadline: then the last answer). */
export async function waitForEndpoint(server: TestServer, name: string, until = ['InService', 'Failed'], timeoutMs = 120_000): Promise<DescribeEndpointCommandOutput> {
  const sm = new SageMakerClient(server.clientConfig);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
    if (until.includes(d.EndpointStatus!) || Date.now() > deadline) return d;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The endpoint's stored document (instances, handles) — what the controller recorded. */
export async function endpointDoc(server: TestServer, name: string): Promise<EndpointDoc> {
  const rec = await server.app.platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, name);
  if (!rec) throw new Error(`no endpoint ${name}`);
  return rec.doc;
}

/** SIGKILLs every process of an endpoint instance (its cgroup's members), as a crash would. */
export async function killInstance(handle: InstanceHandle): Promise<void> {
  // The process lane's handle names the instance's cgroup (docs/runners.md).
  const group = String((handle as { group?: unknown }).group);
  const procs = await readFile(`/sys/fs/cgroup/pids/clary/${group}/cgroup.procs`, 'utf8').catch(() => readFile(`/sys/fs/cgroup/memory/clary/${group}/cgroup.procs`, 'utf8'));
  for (const pid of procs.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** model.tar.gz (model.pkl of y = 3x + 1) and sourcedir.tar.gz (inference.py) made here, without a training job. */
export async function localSklearnModel(server: TestServer, bucket: string, prefix: string): Promise<{ modelData: string; source: string }> {
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { create } = await import('tar');
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const dir = await mkdtemp(join(tmpdir(), 'clary-model-'));
  try {
    const py = spawnSync('/usr/bin/python3', ['-c', 'import pickle, sys, numpy as np\nfrom sklearn.linear_model import LinearRegression\nx = np.arange(10).reshape(-1, 1)\npickle.dump(LinearRegression().fit(x, 3 * x[:, 0] + 1), open(sys.argv[1], "wb"))', join(dir, 'model.pkl')], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(py.stderr);
    await create({ gzip: true, cwd: dir, file: join(dir, 'model.tar.gz'), portable: true }, ['model.pkl']);
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/model.tar.gz`, Body: await readFile(join(dir, 'model.tar.gz')) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const source = await uploadSourceDir(server, bucket, `${prefix}/sourcedir.tar.gz`, { 'inference.py': INFERENCE_PY });
  return { modelData: `s3://${bucket}/${prefix}/model.tar.gz`, source };
}

/** DeleteEndpoint, then waits until DescribeEndpoint says it is gone (its instances stopped, capacity freed). */
export async function removeEndpoint(server: TestServer, name: string, timeoutMs = 60_000): Promise<void> {
  const { DeleteEndpointCommand } = await import('@aws-sdk/client-sagemaker');
  const sm = new SageMakerClient(server.clientConfig);
  await sm.send(new DeleteEndpointCommand({ EndpointName: name }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = await sm.send(new DescribeEndpointCommand({ EndpointName: name })).then(() => false, (e: Error) => e.name === 'ValidationException');
    if (gone) return;
    if (Date.now() > deadline) throw new Error(`endpoint ${name} was not deleted within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Deletes every endpoint the server has and waits for each to go: model servers outlive a closed
 * Clary by design (the next one adopts them), so a test must not leave any behind.
 */
export async function removeAllEndpoints(server: TestServer): Promise<void> {
  const { ListEndpointsCommand } = await import('@aws-sdk/client-sagemaker');
  const sm = new SageMakerClient(server.clientConfig);
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await sm.send(new ListEndpointsCommand({ MaxResults: 100, NextToken: token }));
    names.push(...(page.Endpoints ?? []).map((e) => e.EndpointName!));
    token = page.NextToken;
  } while (token);
  await Promise.all(names.map((n) => removeEndpoint(server, n).catch(() => undefined)));
}
