import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateEndpointCommand, CreateEndpointConfigCommand } from '@aws-sdk/client-sagemaker';
import { ownerOf } from '../../src/runners/container/index.js';
import { spawnClary, type SpawnedClary } from '../support/clary-process.js';
import type { TestServer } from '../support/server.js';
import { podmanSkipReason } from '../support/busybox-image.js';
import { byoModelArchive, byoServingImage } from '../support/byo-serving-image.js';
import { createBucket, ROLE } from '../training/support.js';
import { removeAllEndpoints, waitForEndpoint } from '../hosting/support.js';

/**
 * kill -9 of Clary while containerised endpoints serve, then a new Clary on the same data dir:
 * the container that still runs is adopted (same container, no second one), one removed while
 * Clary was down is replaced, and a stray container of this Clary that no endpoint names is swept.
 */
const skipReason = podmanSkipReason();
let dataDir: string | undefined;
let clary: SpawnedClary | undefined;

const asServer = async (c: SpawnedClary): Promise<TestServer> =>
  ({ clientConfig: { endpoint: c.endpoint, region: 'us-east-1', credentials: await c.credentials(), forcePathStyle: true } }) as unknown as TestServer;

/** name → container id of this Clary's containers. */
function containers(): Map<string, string> {
  const out = execFileSync('podman', ['ps', '-a', '--format', '{{.Names}} {{.ID}}', '--filter', `label=clary.owner=${ownerOf(dataDir!)}`], { encoding: 'utf8' });
  return new Map(out.split('\n').filter(Boolean).map((l) => l.split(' ') as [string, string]));
}
const of = (endpoint: string) => [...containers().entries()].filter(([name]) => name.includes(`-${endpoint}-i-`));

async function invoke(server: TestServer, name: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const out = await new SageMakerRuntimeClient(server.clientConfig).send(new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/plain', Body: new TextEncoder().encode('hi') }));
      return new TextDecoder().decode(out.Body);
    } catch (e) {
      // Right after a restart an adopted instance is pinged once before it is routed to.
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

afterAll(async () => {
  if (clary) {
    await removeAllEndpoints(await asServer(clary)).catch(() => undefined);
    await clary.stop();
  }
  if (dataDir) {
    const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
    // A Podman service of a Clary killed mid-test (and never followed by another) would outlive the run.
    spawnSync('pkill', ['-f', `${dataDir}/podman.sock`], { stdio: 'ignore' });
    await rm(dataDir, { recursive: true, force: true });
  }
}, 180_000);

describe.skipIf(skipReason !== '')(`containerised endpoints across a Clary crash${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('adopts the running container, replaces the lost one, sweeps a stray one', async () => {
    const local = await byoServingImage();
    const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/${local}`;
    dataDir = await mkdtemp(join(tmpdir(), 'clary-byo-rs-'));
    clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
    let server = await asServer(clary);
    await createBucket(server, 'ml-data');
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: 'ml-data', Key: 'm/model.tar.gz', Body: await byoModelArchive('5') }));
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(new CreateModelCommand({ ModelName: 'byo', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: image, ModelDataUrl: 's3://ml-data/m/model.tar.gz' } }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'byo', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'byo', InstanceType: 'ml.t2.medium', InitialInstanceCount: 1 }] }));
    for (const name of ['survivor', 'casualty']) await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: 'byo' }));
    for (const name of ['survivor', 'casualty']) expect((await waitForEndpoint(server, name, ['InService', 'Failed'], 240_000)).EndpointStatus).toBe('InService');
    expect(await invoke(server, 'survivor')).toBe('model=5 body=hi port=8080 env=');
    const [survivor] = of('survivor');
    const [casualty] = of('casualty');

    // Clary dies; one container is removed while it is down, and a stray one of this Clary appears.
    await clary.stop('SIGKILL');
    clary = undefined;
    execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', casualty![1]], { stdio: 'ignore' });
    const prefix = survivor![0].slice(0, survivor![0].indexOf('-survivor-') + 1);
    execFileSync('podman', ['--runtime', 'runc', 'run', '-d', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', '--name', `${prefix}stray`, '--label', `clary.owner=${ownerOf(dataDir)}`, '--label', 'clary.runner=container', '--label', 'clary.instance=stray', local, 'sleep', '600'], { stdio: 'ignore' });

    clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
    server = await asServer(clary);
    expect(await invoke(server, 'survivor')).toBe('model=5 body=hi port=8080 env=');
    // The same container serves: adopted, not started again.
    expect(of('survivor')).toEqual([survivor]);
    expect(await invoke(server, 'casualty')).toBe('model=5 body=hi port=8080 env=');
    const replaced = of('casualty');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]![1]).not.toBe(casualty![1]);
    expect(containers().has(`${prefix}stray`)).toBe(false);

    await removeAllEndpoints(server);
    expect(containers().size).toBe(0);
  }, 600_000);
});
