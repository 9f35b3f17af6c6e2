import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateEndpointConfigCommand, DescribeEndpointCommand, SageMakerClient, UpdateEndpointCommand, UpdateEndpointWeightsAndCapacitiesCommand } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { getVariantInstanceCounts, setVariantDesiredInstanceCount } from '../../src/controllers/hosting/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket } from '../training/support.js';
import { deploy, endpointDoc, INSTANCE_TYPE, killInstance, localSklearnModel, removeEndpoint, SKLEARN_IMAGE, waitForEndpoint, removeAllEndpoints } from './support.js';

let server: TestServer;
let runtime: SageMakerRuntimeClient;
let sm: SageMakerClient;
let container: { Image: string; ModelDataUrl: string; Environment: Record<string, string> };

beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'traffic');
  const m = await localSklearnModel(server, 'traffic', 'm1');
  container = { Image: SKLEARN_IMAGE, ModelDataUrl: m.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: m.source } };
  runtime = new SageMakerRuntimeClient(server.clientConfig);
  sm = new SageMakerClient(server.clientConfig);
}, 60_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

const invoke = (endpoint: string, body = '1', target?: string) =>
  runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: 'text/csv', Body: new TextEncoder().encode(body), TargetVariant: target }));

/** Invokes without pause until `stop` resolves; returns how many succeeded and every failure. */
async function load(endpoint: string, stop: Promise<unknown>): Promise<{ ok: number; failures: string[] }> {
  let done = false;
  void stop.finally(() => (done = true));
  const result = { ok: 0, failures: [] as string[] };
  const worker = async () => {
    while (!done) {
      try {
        const out = await invoke(endpoint, '2');
        if (new TextDecoder().decode(out.Body) === '7.000') result.ok++;
        else result.failures.push(`unexpected body ${new TextDecoder().decode(out.Body)}`);
      } catch (e) {
        result.failures.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  return result;
}

describe('routing between variants and instances', () => {
  it('splits traffic 80/20 by InitialVariantWeight, honours TargetVariant, and re-weights at once', async () => {
    await deploy(server, 'weights', container, [{ InitialVariantWeight: 4, InstanceType: INSTANCE_TYPE }, { InitialVariantWeight: 1, InstanceType: INSTANCE_TYPE }]);
    expect((await waitForEndpoint(server, 'weights')).EndpointStatus).toBe('InService');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) {
      const out = await invoke('weights');
      counts[out.InvokedProductionVariant!] = (counts[out.InvokedProductionVariant!] ?? 0) + 1;
    }
    expect(counts.AllTraffic! / 1000).toBeGreaterThan(0.75);
    expect(counts.AllTraffic! / 1000).toBeLessThan(0.85);
    expect(counts.AllTraffic! + counts.Variant2!).toBe(1000);
    expect((await invoke('weights', '1', 'Variant2')).InvokedProductionVariant).toBe('Variant2');

    await sm.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'weights', DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 0 }] }));
    for (let i = 0; i < 20; i++) expect((await invoke('weights')).InvokedProductionVariant).toBe('Variant2');
    const d = await waitForEndpoint(server, 'weights');
    expect(d.EndpointStatus).toBe('InService');
    expect(d.ProductionVariants?.find((v) => v.VariantName === 'AllTraffic')).toMatchObject({ CurrentWeight: 0, DesiredWeight: 0 });
    await removeEndpoint(server, 'weights');
  }, 180_000);

  it('scales a variant out and in (UpdateEndpointWeightsAndCapacities, setVariantDesiredInstanceCount) while it serves', async () => {
    await deploy(server, 'scale', container);
    expect((await waitForEndpoint(server, 'scale')).EndpointStatus).toBe('InService');
    await sm.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'scale', DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredInstanceCount: 2 }] }));
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'scale' }))).EndpointStatus).toBe('Updating');
    expect((await invoke('scale', '2')).Body).toBeDefined(); // still serving while Updating
    const d = await waitForEndpoint(server, 'scale');
    expect(d.ProductionVariants?.[0]).toMatchObject({ CurrentInstanceCount: 2, DesiredInstanceCount: 2 });
    expect((await endpointDoc(server, 'scale'))._clary.instances).toHaveLength(2);

    await setVariantDesiredInstanceCount(server.app.platform, 'scale', 'AllTraffic', 1);
    const deadline = Date.now() + 60_000;
    while ((await getVariantInstanceCounts(server.app.platform, 'scale'))[0]!.currentInstanceCount !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await getVariantInstanceCounts(server.app.platform, 'scale')).toEqual([{ variantName: 'AllTraffic', desiredInstanceCount: 1, currentInstanceCount: 1, currentWeight: 1 }]);
    expect((await endpointDoc(server, 'scale'))._clary.instances).toHaveLength(1);
    await expect(setVariantDesiredInstanceCount(server.app.platform, 'scale', 'Nope', 2)).rejects.toThrow(/not present/);
    await removeEndpoint(server, 'scale');
  }, 180_000);

  it('replaces a killed instance while the other keeps serving (no failed request)', async () => {
    await deploy(server, 'heal', container, [{ InitialInstanceCount: 2 }]);
    expect((await waitForEndpoint(server, 'heal')).EndpointStatus).toBe('InService');
    const before = (await endpointDoc(server, 'heal'))._clary.instances;
    expect(before).toHaveLength(2);
    let finish!: () => void;
    const stop = new Promise<void>((r) => (finish = r));
    const traffic = load('heal', stop);
    await new Promise((r) => setTimeout(r, 500));
    await killInstance(before[0]!.handle!);
    // Wait until a new instance replaced the killed one and serves.
    const deadline = Date.now() + 90_000;
    for (;;) {
      const d = await endpointDoc(server, 'heal');
      const ids = d._clary.instances.map((i) => i.id);
      if (!ids.includes(before[0]!.id) && ids.length === 2 && d.ProductionVariants?.[0]?.CurrentInstanceCount === 2) break;
      if (Date.now() > deadline) throw new Error(`not replaced: ${JSON.stringify(d.ProductionVariants)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await new Promise((r) => setTimeout(r, 500));
    finish();
    const result = await traffic;
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(10);
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'heal' }))).EndpointStatus).toBe('InService');
    await removeEndpoint(server, 'heal');
  }, 180_000);

  it('UpdateEndpoint under continuous load: blue/green with zero failed requests', async () => {
    await deploy(server, 'bluegreen', container);
    expect((await waitForEndpoint(server, 'bluegreen')).EndpointStatus).toBe('InService');
    const oldIds = (await endpointDoc(server, 'bluegreen'))._clary.instances.map((i) => i.id);
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'bluegreen-2', ProductionVariants: [{ VariantName: 'Blue2', ModelName: 'bluegreen', InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1 }] }));
    let finish!: () => void;
    const stop = new Promise<void>((r) => (finish = r));
    const traffic = load('bluegreen', stop);
    await new Promise((r) => setTimeout(r, 300));
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'bluegreen', EndpointConfigName: 'bluegreen-2' }));
    const d = await waitForEndpoint(server, 'bluegreen', ['InService', 'Failed']);
    await new Promise((r) => setTimeout(r, 500));
    finish();
    const result = await traffic;
    expect(d.EndpointStatus).toBe('InService');
    expect(d.EndpointConfigName).toBe('bluegreen-2');
    expect(d.ProductionVariants?.map((v) => v.VariantName)).toEqual(['Blue2']);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(10);
    expect((await invoke('bluegreen')).InvokedProductionVariant).toBe('Blue2');
    const after = (await endpointDoc(server, 'bluegreen'))._clary.instances;
    expect(after.map((i) => i.id).some((id) => oldIds.includes(id))).toBe(false);
    expect(after).toHaveLength(1);
    await removeEndpoint(server, 'bluegreen');
  }, 180_000);
});
