import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { listOpenAllocations } from '../../src/compute/metering/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket } from '../training/support.js';
import { deploy, endpointDoc, killInstance, localSklearnModel, removeEndpoint, SKLEARN_IMAGE, waitForEndpoint, removeAllEndpoints } from './support.js';

let dataDir: string;
let server: TestServer | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clary-hosting-restart-'));
});
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const invoke = (s: TestServer, name: string) =>
  new SageMakerRuntimeClient(s.clientConfig).send(new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/csv', Body: new TextEncoder().encode('2') }));

describe('Clary restarted with InService endpoints', () => {
  it('adopts the model servers that still run, replaces one that died while it was down, and serves', async () => {
    server = await startTestServer({ dataDir });
    await createBucket(server, 'restart');
    const m = await localSklearnModel(server, 'restart', 'm');
    const container = { Image: SKLEARN_IMAGE, ModelDataUrl: m.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: m.source } };
    await deploy(server, 'survivor', container);
    await deploy(server, 'casualty', container);
    expect((await waitForEndpoint(server, 'survivor')).EndpointStatus).toBe('InService');
    expect((await waitForEndpoint(server, 'casualty')).EndpointStatus).toBe('InService');
    const survivor = (await endpointDoc(server, 'survivor'))._clary.instances;
    const casualty = (await endpointDoc(server, 'casualty'))._clary.instances;

    // One endpoint is still being created when Clary stops.
    await deploy(server, 'pending', { ...container, Environment: { ...container.Environment, TEST_MODEL_FN_DELAY: '3' } });
    await new Promise((r) => setTimeout(r, 500));
    await server.close();
    // One model server dies while Clary is down.
    await killInstance(casualty[0]!.handle!);
    server = await startTestServer({ dataDir });

    expect(new TextDecoder().decode((await invokeWhenRouted(server, 'survivor')).Body)).toBe('7.000');
    // The surviving instance was adopted, not restarted.
    expect((await endpointDoc(server, 'survivor'))._clary.instances.map((i) => i.id)).toEqual(survivor.map((i) => i.id));

    // The dead one was replaced by a new instance; the endpoint never left InService.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const d = await endpointDoc(server, 'casualty');
      if (d._clary.instances.length === 1 && d._clary.instances[0]!.id !== casualty[0]!.id && d.ProductionVariants?.[0]?.CurrentInstanceCount === 1) break;
      if (Date.now() > deadline) throw new Error(`not replaced: ${JSON.stringify(d._clary.instances)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await waitForEndpoint(server, 'casualty')).EndpointStatus).toBe('InService');
    expect(new TextDecoder().decode((await invoke(server, 'casualty')).Body)).toBe('7.000');

    // The endpoint that was Creating is not stuck: it comes up and serves.
    expect((await waitForEndpoint(server, 'pending')).EndpointStatus).toBe('InService');
    expect(new TextDecoder().decode((await invoke(server, 'pending')).Body)).toBe('7.000');
    await removeEndpoint(server, 'pending');

    // The lost instance's allocation was closed; the two serving ones are open.
    const open = await listOpenAllocations(server.app.platform.store, { workload: 'hosting' });
    expect(open.map((a) => a.id).sort()).toEqual([...(await endpointDoc(server, 'survivor'))._clary.instances, ...(await endpointDoc(server, 'casualty'))._clary.instances].map((i) => i.allocationId).sort());

    await removeEndpoint(server, 'survivor');
    await removeEndpoint(server, 'casualty');
    expect(await listOpenAllocations(server.app.platform.store, { workload: 'hosting' })).toEqual([]);
  }, 240_000);
});

/** Right after a restart the adopted instance is pinged once before it is routed to. */
async function invokeWhenRouted(s: TestServer, name: string) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await invoke(s, name);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
