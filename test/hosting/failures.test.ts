import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEndpointConfigCommand, CreateModelCommand, SageMakerClient, UpdateEndpointCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { listOpenAllocations } from '../../src/compute/metering/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, uploadSourceDir } from '../training/support.js';
import { deploy, endpointDoc, INSTANCE_TYPE, localSklearnModel, removeEndpoint, ROLE, SKLEARN_IMAGE, waitForEndpoint, removeAllEndpoints } from './support.js';

let server: TestServer;
let good: { modelData: string; source: string };

beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'fail');
  good = await localSklearnModel(server, 'fail', 'good');
}, 60_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

const put = (key: string, body: Uint8Array | string) => new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: 'fail', Key: key, Body: body }));
const sklearn = (modelData: string, env: Record<string, string> = {}) => ({ Image: SKLEARN_IMAGE, ModelDataUrl: modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: good.source, ...env } });

async function failed(name: string): Promise<string> {
  const d = await waitForEndpoint(server, name);
  expect(d.EndpointStatus).toBe('Failed');
  expect((await endpointDoc(server, name))._clary.instances).toEqual([]);
  return d.FailureReason ?? '';
}

describe('endpoints that cannot start fail with a reason, and leave nothing running', () => {
  it('a missing model archive', async () => {
    await deploy(server, 'no-archive', sklearn('s3://fail/nothing/model.tar.gz'));
    expect(await failed('no-archive')).toContain('Failed to download model data for container "container_1" from URL: "s3://fail/nothing/model.tar.gz"');
  });

  it('a corrupt model archive', async () => {
    await put('corrupt/model.tar.gz', 'this is not a gzip stream at all');
    await deploy(server, 'corrupt', sklearn('s3://fail/corrupt/model.tar.gz'));
    expect(await failed('corrupt')).toContain('Failed to extract model data archive from URL "s3://fail/corrupt/model.tar.gz"');
  });

  it('an archive with an entry that climbs out of /opt/ml/model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clary-evil-'));
    try {
      await promisify(execFile)('python3', ['-c', [
        'import io, sys, tarfile',
        'with tarfile.open(sys.argv[1], "w:gz") as t:',
        '    data = b"escaped"',
        '    info = tarfile.TarInfo("../../escaped.txt"); info.size = len(data)',
        '    t.addfile(info, io.BytesIO(data))',
      ].join('\n'), join(dir, 'evil.tar.gz')]);
      await put('evil/model.tar.gz', await readFile(join(dir, 'evil.tar.gz')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    await deploy(server, 'evil', sklearn('s3://fail/evil/model.tar.gz'));
    expect(await failed('evil')).toContain('Failed to extract model data archive');
  });

  it('a model server that cannot load the model: the reason carries its last output', async () => {
    const source = await uploadSourceDir(server, 'fail', 'broken/sourcedir.tar.gz', { 'inference.py': 'def model_fn(model_dir):\n    raise RuntimeError("cannot load weights: shape mismatch")\n' });
    await deploy(server, 'broken', { ...sklearn(good.modelData), Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: source } });
    const reason = await failed('broken');
    expect(reason).toContain('The primary container for production variant AllTraffic did not pass the ping health check');
    expect(reason).toContain('cannot load weights: shape mismatch');
  });

  it('an instance type that can never fit this host', async () => {
    await deploy(server, 'too-big', sklearn(good.modelData), [{ InstanceType: 'ml.m5.24xlarge' }]);
    expect(await failed('too-big')).toMatch(/^ClientError: ml\.m5\.24xlarge can never run on this host: needs 384 GiB/);
  });

  it('an image Clary cannot run', async () => {
    await deploy(server, 'custom-image', { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-own-server:latest', ModelDataUrl: good.modelData });
    expect(await failed('custom-image')).toMatch(/^ClientError: image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/my-own-server:latest is not a SageMaker framework image/);
    // Nothing of the failed endpoints stays allocated.
    expect((await listOpenAllocations(server.app.platform.store, { workload: 'hosting' })).length).toBe(0);
  });

  it('UpdateEndpoint to a configuration that fails rolls back: the old fleet keeps serving, the reason is recorded', async () => {
    await deploy(server, 'rollback', sklearn(good.modelData));
    expect((await waitForEndpoint(server, 'rollback')).EndpointStatus).toBe('InService');
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(new CreateModelCommand({ ModelName: 'rollback-bad', ExecutionRoleArn: ROLE, PrimaryContainer: sklearn('s3://fail/nothing/model.tar.gz') }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'rollback-bad', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'rollback-bad', InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1 }] }));
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'rollback', EndpointConfigName: 'rollback-bad' }));
    // UpdateEndpoint records Updating before it answers: the next InService is after the rollback.
    const d = await waitForEndpoint(server, 'rollback', ['InService', 'Failed'], 60_000);
    expect(d.EndpointStatus).toBe('InService');
    expect(d.EndpointConfigName).toBe('rollback');
    expect(d.FailureReason).toContain('Failed to download model data');
    const out = await new SageMakerRuntimeClient(server.clientConfig).send(new InvokeEndpointCommand({ EndpointName: 'rollback', ContentType: 'text/csv', Body: new TextEncoder().encode('2') }));
    expect(new TextDecoder().decode(out.Body)).toBe('7.000');
    await removeEndpoint(server, 'rollback');
  }, 120_000);
});
