import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DeleteEndpointCommand, DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, InvokeEndpointWithResponseStreamCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket } from '../training/support.js';
import { deploy, SKLEARN_IMAGE, trainSklearnModel, waitForEndpoint, removeAllEndpoints } from './support.js';

let server: TestServer;
let model: { modelData: string; source: string };
let runtime: SageMakerRuntimeClient;

beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'hosting');
  model = await trainSklearnModel(server, 'hosting', 'sk-train');
  runtime = new SageMakerRuntimeClient(server.clientConfig);
}, 240_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

const sklearnContainer = () => ({ Image: SKLEARN_IMAGE, ModelDataUrl: model.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: model.source } });

async function invokeError(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected the invocation to fail');
}

describe('a scikit-learn model trained by Clary, served and invoked', () => {
  it('goes Creating → InService and answers InvokeEndpoint from the SDK and boto3', async () => {
    await deploy(server, 'sk-ep', sklearnContainer());
    const d = await waitForEndpoint(server, 'sk-ep');
    expect(d.FailureReason).toBeUndefined();
    expect(d.EndpointStatus).toBe('InService');
    expect(d.ProductionVariants?.[0]).toMatchObject({ VariantName: 'AllTraffic', CurrentInstanceCount: 1, DesiredInstanceCount: 1, CurrentWeight: 1, DesiredWeight: 1, DeployedImages: [{ SpecifiedImage: SKLEARN_IMAGE }] });

    const out = await runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Accept: 'text/csv', Body: new TextEncoder().encode('2\n10'), CustomAttributes: 'trace=1' }));
    expect(new TextDecoder().decode(out.Body)).toBe('7.000,31.000');
    expect(out.ContentType).toBe('text/csv');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');

    // Asynchronously: this process serves the request.
    const py = await promisify(execFile)('python3', ['-c', [
      'import boto3',
      'rt = boto3.client("sagemaker-runtime")',
      'r = rt.invoke_endpoint(EndpointName="sk-ep", ContentType="text/csv", Body=b"4")',
      'print(r["InvokedProductionVariant"], r["ContentType"], r["Body"].read().decode())',
    ].join('\n')], { env: server.env, encoding: 'utf8', timeout: 60_000 });
    expect(py.stderr).toBe('');
    expect(py.stdout.trim()).toBe('AllTraffic text/csv 13.000');

    const logs = new CloudWatchLogsClient(server.clientConfig);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/Endpoints/sk-ep' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual([expect.stringMatching(/^AllTraffic\/i-[0-9a-f]{16}$/)]);
  });

  it('reports each invocation to the InvocationObserver (model and overhead latency, status)', async () => {
    const samples: { endpoint: string; variant: string; status: number; model: number; overhead: number }[] = [];
    server.app.setInvocationObserver({ observe: (endpoint, variant, s) => samples.push({ endpoint, variant, status: s.status, model: s.modelLatencyMicros, overhead: s.overheadLatencyMicros }) });
    try {
      await runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('1') }));
      await runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('boom') })).catch(() => undefined);
    } finally {
      server.app.setInvocationObserver({ observe() {} });
    }
    expect(samples.map((s) => [s.endpoint, s.variant, s.status >= 400 ? 'error' : s.status])).toEqual([['sk-ep', 'AllTraffic', 200], ['sk-ep', 'AllTraffic', 'error']]);
    for (const s of samples) {
      expect(s.model).toBeGreaterThan(0);
      expect(s.overhead).toBeGreaterThanOrEqual(0);
    }
  });

  it('a handler that raises is ModelError (424) with the original status and message', async () => {
    const e = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('boom') })));
    expect(e.name).toBe('ModelError');
    expect((e.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(424);
    expect(e.OriginalStatusCode).toBeGreaterThanOrEqual(400);
    expect(String(e.OriginalMessage)).toContain('boom: this input is not a number');
    expect(e.LogStreamArn).toBe('arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/sk-ep');
    expect(String(e.message)).toMatch(/^Received (client|server) error \(\d+\) from primary with message "/);
  });

  it('InvokeEndpointWithResponseStream returns the answer as PayloadPart events', async () => {
    const out = await runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Accept: 'application/jsonlines', Body: new TextEncoder().encode('1\n2\n3') }));
    expect(out.ContentType).toBe('application/jsonlines');
    expect(out.InvokedProductionVariant).toBe('AllTraffic');
    let text = '';
    for await (const event of out.Body!) {
      expect(event.ModelStreamError).toBeUndefined();
      text += new TextDecoder().decode(event.PayloadPart?.Bytes);
    }
    expect(text).toBe('4.000\n7.000\n10.000\n');
    const e = await invokeError(runtime.send(new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('boom') })));
    expect(e.name).toBe('ModelError');
  });

  it('refuses a payload over 6 MB, an unknown endpoint and an unknown TargetVariant with ValidationError', async () => {
    const big = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', ContentType: 'text/csv', Body: new Uint8Array(6 * 1024 * 1024 + 1) })));
    expect(big.name).toBe('ValidationError');
    const unknown = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'nowhere', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })));
    expect(unknown.name).toBe('ValidationError');
    expect(unknown.message).toBe('Endpoint nowhere of account 000000000000 not found.');
    const variant = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-ep', TargetVariant: 'Nope', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })));
    expect(variant.name).toBe('ValidationError');
  });

  it('an endpoint not yet InService refuses invocations; DeleteEndpoint removes it', async () => {
    await deploy(server, 'sk-slow', { ...sklearnContainer(), Environment: { ...sklearnContainer().Environment, TEST_MODEL_FN_DELAY: '4' } });
    const e = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-slow', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })));
    expect(e.name).toBe('ValidationError');
    expect(e.message).toContain('is not in service');
    expect((await waitForEndpoint(server, 'sk-slow')).EndpointStatus).toBe('InService');
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'sk-slow' }));
    const deadline = Date.now() + 60_000;
    let gone = false;
    while (!gone && Date.now() < deadline) {
      gone = await sm.send(new DescribeEndpointCommand({ EndpointName: 'sk-slow' })).then(() => false, (err: Error) => err.name === 'ValidationException');
      if (!gone) await new Promise((r) => setTimeout(r, 200));
    }
    expect(gone).toBe(true);
    const after = await invokeError(runtime.send(new InvokeEndpointCommand({ EndpointName: 'sk-slow', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })));
    expect(after.message).toBe('Endpoint sk-slow of account 000000000000 not found.');
  });
});
