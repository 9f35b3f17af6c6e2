import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  ListEndpointsCommand,
  SageMakerClient,
  type ProductionVariantInstanceType,
} from '@aws-sdk/client-sagemaker';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import Database from 'better-sqlite3';
import { create } from 'tar';
import type { ClaryProcess } from './lib/clary-process.js';
import type { PreparedRequest } from './lib/load.js';
import { SKLEARN_IMAGE, uploadSource } from './lib/training-job.js';

/** What the hosting benchmarks share: a tiny sklearn model, deploy/wait/delete, an instance's port and processes. */

export const ROLE = 'arn:aws:iam::000000000000:role/Bench';

/** The inference script (the one test/hosting uses, less its test hooks): CSV lines of x in, 3x + 1 out. */
export const INFERENCE_PY = `
import os, pickle
import numpy as np

def model_fn(model_dir):
    with open(os.path.join(model_dir, "model.pkl"), "rb") as f:
        return pickle.load(f)

def input_fn(body, content_type):
    text = body.decode() if isinstance(body, bytes) else body
    return np.array([[float(x)] for x in text.strip().split("\\n")])

def predict_fn(data, model):
    return model.predict(data)

def output_fn(prediction, accept):
    return ",".join("%.3f" % p for p in prediction), "text/csv"
`;

export const clients = (clary: ClaryProcess) => {
  const cfg = { endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true };
  return { s3: new S3Client(cfg), sm: new SageMakerClient(cfg) };
};

/** model.tar.gz (a LinearRegression pickle, y = 3x + 1) and sourcedir.tar.gz (inference.py) in `bucket`. */
export async function uploadSklearnModel(clary: ClaryProcess, bucket: string): Promise<{ modelData: string; source: string }> {
  const { s3 } = clients(clary);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const dir = await mkdtemp(join(tmpdir(), 'clary-bench-model-'));
  try {
    const py = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import pickle, sys, numpy as np\nfrom sklearn.linear_model import LinearRegression\nx = np.arange(10).reshape(-1, 1)\npickle.dump(LinearRegression().fit(x, 3 * x[:, 0] + 1), open(sys.argv[1], "wb"))', join(dir, 'model.pkl')],
      { encoding: 'utf8' },
    );
    if (py.status !== 0) throw new Error(py.stderr);
    await create({ gzip: true, cwd: dir, file: join(dir, 'model.tar.gz'), portable: true }, ['model.pkl']);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'model/model.tar.gz', Body: await readFile(join(dir, 'model.tar.gz')) }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const source = await uploadSource(s3, bucket, 'code/sourcedir.tar.gz', { 'inference.py': INFERENCE_PY });
  return { modelData: `s3://${bucket}/model/model.tar.gz`, source };
}

/** CreateModel + CreateEndpointConfig (one variant, one instance of `instanceType`). */
export async function createModelAndConfig(sm: SageMakerClient, name: string, model: { modelData: string; source: string }, instanceType: string, env: Record<string, string> = {}): Promise<void> {
  await sm.send(
    new CreateModelCommand({
      ModelName: name,
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: SKLEARN_IMAGE, ModelDataUrl: model.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: model.source, ...env } },
    }),
  );
  await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: name, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: name, InstanceType: instanceType as ProductionVariantInstanceType, InitialInstanceCount: 1 }] }));
}

export const createEndpoint = (sm: SageMakerClient, name: string, config: string) => sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: config }));

/** Polls DescribeEndpoint until InService (throws on Failed or after timeoutMs). */
export async function waitInService(sm: SageMakerClient, name: string, timeoutMs = 300_000, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
    if (d.EndpointStatus === 'InService') return;
    if (d.EndpointStatus === 'Failed') throw new Error(`endpoint ${name} failed: ${d.FailureReason}`);
    if (Date.now() > deadline) throw new Error(`endpoint ${name} still ${d.EndpointStatus} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** DeleteEndpoint and wait until it is gone (its model servers stopped). */
export async function deleteEndpoint(sm: SageMakerClient, name: string, timeoutMs = 120_000): Promise<void> {
  await sm.send(new DeleteEndpointCommand({ EndpointName: name }));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const gone = await sm.send(new DescribeEndpointCommand({ EndpointName: name })).then(
      () => false,
      (e: Error) => e.name === 'ValidationException',
    );
    if (gone) return;
    if (Date.now() > deadline) throw new Error(`endpoint ${name} was not deleted within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Deletes every endpoint of this Clary (model servers are detached: they outlive Clary otherwise). */
export async function deleteAllEndpoints(sm: SageMakerClient): Promise<void> {
  const names: string[] = [];
  let token: string | undefined;
  do {
    const page = await sm.send(new ListEndpointsCommand({ MaxResults: 100, NextToken: token }));
    names.push(...(page.Endpoints ?? []).map((e) => e.EndpointName!));
    token = page.NextToken;
  } while (token);
  const results = await Promise.allSettled(names.map((n) => deleteEndpoint(sm, n)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) console.error(`[bench] ${failed.length} endpoint(s) not deleted: ${failed.map((f) => (f as PromiseRejectedResult).reason).join('; ')}`);
}

export interface InstanceInfo {
  readonly id: string;
  readonly port: number;
  /** cgroup name under clary/ (the process runner's handle). */
  readonly group: string;
}

/** The endpoint's instances as the controller recorded them (its stored document, read from the data dir's SQLite). */
export function endpointInstances(clary: ClaryProcess, name: string): InstanceInfo[] {
  const db = new Database(join(clary.dataDir, 'clary.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT doc FROM resources WHERE kind = 'endpoint' AND name = ?").get(name) as { doc: string } | undefined;
    if (!row) throw new Error(`no endpoint ${name} in the store`);
    const doc = JSON.parse(row.doc) as { _clary?: { instances?: { id: string; port: number; handle?: { group?: string } }[] } };
    return (doc._clary?.instances ?? []).map((i) => ({ id: i.id, port: i.port, group: String(i.handle?.group ?? '') }));
  } finally {
    db.close();
  }
}

/** Pids in an instance's cgroup (v1: pids or memory hierarchy; v2: unified). */
export async function instancePids(group: string): Promise<number[]> {
  for (const base of ['/sys/fs/cgroup/pids/clary', '/sys/fs/cgroup/memory/clary', '/sys/fs/cgroup/clary']) {
    const text = await readFile(join(base, group, 'cgroup.procs'), 'utf8').catch(() => undefined);
    if (text !== undefined) return text.split('\n').filter(Boolean).map(Number);
  }
  return [];
}

/** VmRSS and (when readable) Pss of a process, in bytes; 0 when it is gone. */
export async function processMemory(pid: number): Promise<{ rss: number; pss: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const rss = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
  return { rss, pss };
}

/** utime + stime of a process, in milliseconds. */
export async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is state (field 3); utime and stime are fields 14 and 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** InvokeEndpoint signed once the way the SDK signs it (REST path, body hash in the signature), to replay. */
export async function signedInvokeRequest(
  endpoint: string,
  name: string,
  body: string,
  contentType: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region = 'us-east-1',
): Promise<PreparedRequest> {
  const url = new URL(endpoint);
  const path = `/endpoints/${encodeURIComponent(name)}/invocations`;
  const signer = new SignatureV4({ credentials, region, service: 'sagemaker', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path,
      headers: { host: url.host, 'content-type': contentType, accept: contentType, 'content-length': String(Buffer.byteLength(body)) },
      body,
    }),
  );
  return { url: `${endpoint}${path}`, method: 'POST', headers: signed.headers as Record<string, string>, body };
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const round = (x: number, digits = 2): number => +x.toFixed(digits);
