import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, DescribeEndpointConfigCommand, SageMakerClient, type ProductionVariant } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointAsyncCommand, InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText } from '../training/support.js';
import { INSTANCE_TYPE, localSklearnModel, removeAllEndpoints, ROLE, SKLEARN_IMAGE, waitForEndpoint } from './support.js';
import { ASYNC_INVOCATION_KIND } from '../../src/services/runtime/invoke-endpoint-async-worker.js';

let dataDir: string;
let server: TestServer | undefined;

const rt = () => new SageMakerRuntimeClient(server!.clientConfig);
const ASYNC = { OutputConfig: { S3OutputPath: 's3://async/out/', S3FailurePath: 's3://async/failed' }, ClientConfig: { MaxConcurrentInvocationsPerInstance: 2 } };

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clary-async-'));
  server = await startTestServer({ dataDir });
  await createBucket(server, 'async');
  const m = await localSklearnModel(server, 'async', 'model');
  const sm = new SageMakerClient(server.clientConfig);
  await sm.send(
    new CreateModelCommand({
      ModelName: 'async-model',
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: SKLEARN_IMAGE, ModelDataUrl: m.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: m.source } },
    }),
  );
  const variants: ProductionVariant[] = [{ VariantName: 'AllTraffic', ModelName: 'async-model', InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1 }];
  await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'async-cfg', ProductionVariants: variants, AsyncInferenceConfig: ASYNC }));
  await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'rt-cfg', ProductionVariants: variants }));
  await sm.send(new CreateEndpointCommand({ EndpointName: 'async-ep', EndpointConfigName: 'async-cfg' }));
  await sm.send(new CreateEndpointCommand({ EndpointName: 'rt-ep', EndpointConfigName: 'rt-cfg' }));
  for (const name of ['async-ep', 'rt-ep']) {
    const d = await waitForEndpoint(server, name);
    if (d.EndpointStatus !== 'InService') throw new Error(`${name}: ${d.EndpointStatus} ${d.FailureReason}`);
  }
}, 240_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** The text of s3://bucket/key once it exists (undefined at the deadline). */
async function waitForObject(uri: string, timeoutMs = 60_000): Promise<string | undefined> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
  const s3 = new S3Client(server!.clientConfig);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await s3.send(new GetObjectCommand({ Bucket: m[1], Key: m[2] })).then((o) => o.Body!.transformToString(), (e: Error) => {
      if (e.name !== 'NoSuchKey') throw e;
      return undefined;
    });
    if (text !== undefined || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function error(p: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('expected an error');
}

describe('InvokeEndpointAsync on a real endpoint', () => {
  it('configurations and endpoints report AsyncInferenceConfig', async () => {
    const sm = new SageMakerClient(server!.clientConfig);
    expect((await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'async-cfg' }))).AsyncInferenceConfig).toEqual(ASYNC);
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'async-ep' }))).AsyncInferenceConfig).toEqual(ASYNC);
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'rt-ep' }))).AsyncInferenceConfig).toBeUndefined();
    const bad = await error(
      sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'bad-async', ProductionVariants: [{ VariantName: 'v', ModelName: 'async-model', InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1 }], AsyncInferenceConfig: { OutputConfig: { S3OutputPath: 'https://example.com/out' } } })),
    );
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toContain('asyncInferenceConfig.outputConfig.s3OutputPath');
  });

  it('answers 202 with InferenceId and OutputLocation, then writes the prediction there', async () => {
    await putText(server!, 'async', 'in/a.csv', '2\n10');
    const out = await rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/a.csv', ContentType: 'text/csv', Accept: 'text/csv', InferenceId: 'my-inference' }));
    expect(out.$metadata.httpStatusCode).toBe(202);
    expect(out.InferenceId).toBe('my-inference');
    const id = /^s3:\/\/async\/out\/([0-9a-f-]{36})\.out$/.exec(out.OutputLocation ?? '')?.[1];
    expect(id).toBeDefined();
    expect(out.FailureLocation).toBe(`s3://async/failed/${id}-error.out`);
    expect(await waitForObject(out.OutputLocation!)).toBe('7.000,31.000');
    expect(await waitForObject(out.FailureLocation!, 0)).toBeUndefined();
    // Done requests leave the queue.
    expect((await server!.app.platform.store.listResources({ kind: ASYNC_INVOCATION_KIND })).items).toEqual([]);

    // Without InferenceId, SageMaker makes one.
    const again = await rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/a.csv', ContentType: 'text/csv' }));
    expect(again.InferenceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await waitForObject(again.OutputLocation!)).toBe('7.000,31.000');
  });

  it("writes a model error to the failure path, and nothing to the output", async () => {
    await putText(server!, 'async', 'in/boom.csv', 'boom');
    const out = await rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/boom.csv', ContentType: 'text/csv' }));
    const failure = await waitForObject(out.FailureLocation!);
    expect(failure).toContain('boom: this input is not a number');
    expect(await waitForObject(out.OutputLocation!, 0)).toBeUndefined();
  });

  it('refuses a missing input object, a real-time endpoint, an unknown endpoint and a TTL out of range with ValidationError', async () => {
    const missing = await error(rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/nothing.csv', ContentType: 'text/csv' })));
    expect(missing.name).toBe('ValidationError');
    expect(missing.$metadata.httpStatusCode).toBe(400);
    expect(missing.message).toContain('s3://async/in/nothing.csv');
    const noBucket = await error(rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://no-such-bucket/x.csv' })));
    expect(noBucket.name).toBe('ValidationError');
    const realtime = await error(rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'rt-ep', InputLocation: 's3://async/in/a.csv' })));
    expect(realtime.name).toBe('ValidationError');
    expect(realtime.message).toContain('Endpoint rt-ep of account 000000000000 is not configured for asynchronous inference');
    const unknown = await error(rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'nowhere', InputLocation: 's3://async/in/a.csv' })));
    expect(unknown.message).toBe('Endpoint nowhere of account 000000000000 not found.');
    const ttl = await error(rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/a.csv', RequestTTLSeconds: 10 })));
    expect(ttl.name).toBe('ValidationError');
    expect(ttl.message).toContain('requestTTLSeconds');
    // The real-time endpoint still serves InvokeEndpoint.
    const sync = await rt().send(new InvokeEndpointCommand({ EndpointName: 'rt-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('1') }));
    expect(new TextDecoder().decode(sync.Body)).toBe('4.000');
  });

  it('keeps a queued request across a Clary restart and runs it afterwards', async () => {
    await putText(server!, 'async', 'in/late.csv', '5');
    await server!.close();
    // A Clary without controllers: it accepts the request but runs nothing (the model server is still up).
    server = await startTestServer({ dataDir, controllers: false });
    const out = await rt().send(new InvokeEndpointAsyncCommand({ EndpointName: 'async-ep', InputLocation: 's3://async/in/late.csv', ContentType: 'text/csv' }));
    const queued = await server.app.platform.store.listResources({ kind: ASYNC_INVOCATION_KIND });
    expect(queued.items.map((r) => r.status)).toEqual(['Pending']);
    await server.close();
    server = await startTestServer({ dataDir });
    expect(await waitForObject(out.OutputLocation!)).toBe('16.000');
  });
});
