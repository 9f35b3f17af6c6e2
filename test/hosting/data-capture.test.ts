import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket } from '../training/support.js';
import { INSTANCE_TYPE, localSklearnModel, removeAllEndpoints, removeEndpoint, ROLE, SKLEARN_IMAGE, waitForEndpoint } from './support.js';

let server: TestServer;
let runtime: SageMakerRuntimeClient;
let sm: SageMakerClient;
let s3: S3Client;

beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'capture');
  const model = await localSklearnModel(server, 'capture', 'model');
  runtime = new SageMakerRuntimeClient(server.clientConfig);
  sm = new SageMakerClient(server.clientConfig);
  s3 = new S3Client(server.clientConfig);
  await sm.send(
    new CreateModelCommand({
      ModelName: 'cap-model',
      ExecutionRoleArn: ROLE,
      PrimaryContainer: { Image: SKLEARN_IMAGE, ModelDataUrl: model.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: model.source } },
    }),
  );
}, 240_000);
afterAll(async () => {
  if (server) await removeAllEndpoints(server);
  await server?.close();
});

interface CaptureRecord {
  captureData: Record<string, { observedContentType: string; mode: string; data: string; encoding: string }>;
  eventMetadata: { eventId: string; inferenceTime: string; inferenceId?: string };
  eventVersion: string;
}

/** Every capture record under a prefix, with the key of its file. */
async function records(prefix: string): Promise<{ key: string; record: CaptureRecord }[]> {
  const out: { key: string; record: CaptureRecord }[] = [];
  const list = await s3.send(new ListObjectsV2Command({ Bucket: 'capture', Prefix: prefix }));
  for (const o of list.Contents ?? []) {
    const text = await (await s3.send(new GetObjectCommand({ Bucket: 'capture', Key: o.Key! }))).Body!.transformToString();
    for (const line of text.split('\n').filter(Boolean)) out.push({ key: o.Key!, record: JSON.parse(line) as CaptureRecord });
  }
  return out;
}

async function waitForRecords(prefix: string, n: number, timeoutMs = 30_000): Promise<{ key: string; record: CaptureRecord }[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await records(prefix);
    if (r.length >= n || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function deployCapturing(name: string, capture: Record<string, unknown>): Promise<void> {
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: name,
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'cap-model', InstanceType: INSTANCE_TYPE, InitialInstanceCount: 1 }],
      DataCaptureConfig: capture as never,
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: name }));
  const d = await waitForEndpoint(server, name);
  expect(d.FailureReason).toBeUndefined();
  expect(d.EndpointStatus).toBe('InService');
}

const enc = (s: string) => new TextEncoder().encode(s);

describe('DataCaptureConfig on a real endpoint', () => {
  it('captures every invocation at 100 %: SageMaker records in <destination>/<endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl, flushed in the background and on deletion', async () => {
    await deployCapturing('cap-ep', {
      EnableCapture: true,
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://capture/datacapture',
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
      CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
    });
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'cap-ep' }));
    expect(d.DataCaptureConfig).toMatchObject({ EnableCapture: true, CaptureStatus: 'Started', CurrentSamplingPercentage: 100, DestinationS3Uri: 's3://capture/datacapture' });

    const before = new Date();
    const a = await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-ep', ContentType: 'text/csv', Accept: 'text/csv', Body: enc('2'), InferenceId: 'inf-1' }));
    expect(new TextDecoder().decode(a.Body)).toBe('7.000');
    // Not a configured content type: recorded in BASE64.
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-ep', ContentType: 'application/x-numbers', Accept: 'text/csv', Body: enc('10') }));
    // A failed invocation is not captured.
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-ep', ContentType: 'text/csv', Body: enc('boom') })).catch((e: Error) => expect(e.name).toBe('ModelError'));

    const got = await waitForRecords('datacapture/', 2);
    expect(got).toHaveLength(2);
    const hour = (t: Date) => `${t.getUTCFullYear()}/${String(t.getUTCMonth() + 1).padStart(2, '0')}/${String(t.getUTCDate()).padStart(2, '0')}/${String(t.getUTCHours()).padStart(2, '0')}`;
    for (const { key } of got) {
      expect(key).toMatch(/^datacapture\/cap-ep\/AllTraffic\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$/);
      expect([hour(before), hour(new Date())]).toContain(key.split('/').slice(3, 7).join('/'));
    }
    const csv = got.find((g) => g.record.eventMetadata.inferenceId === 'inf-1')!.record;
    expect(csv.eventVersion).toBe('0');
    expect(csv.captureData).toEqual({
      endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data: '2', encoding: 'CSV' },
      endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '7.000', encoding: 'CSV' },
    });
    expect(csv.eventMetadata.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(csv.eventMetadata.inferenceTime)).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    const b64 = got.find((g) => g.record.eventMetadata.inferenceId === undefined)!.record;
    expect(b64.captureData.endpointInput).toEqual({ observedContentType: 'application/x-numbers', mode: 'INPUT', data: Buffer.from('10').toString('base64'), encoding: 'BASE64' });
    expect(b64.captureData.endpointOutput).toMatchObject({ data: '31.000', encoding: 'CSV' });

    // Deleting the endpoint writes what is still buffered before the endpoint is gone.
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-ep', ContentType: 'text/csv', Body: enc('3'), InferenceId: 'last' }));
    await removeEndpoint(server, 'cap-ep');
    const after = await records('datacapture/');
    expect(after.map((g) => g.record.eventMetadata.inferenceId ?? null).sort()).toEqual(['inf-1', 'last', null].sort());
  });

  it('captures only what CaptureOptions name, with the configured JSON types; a disabled capture records nothing and says Stopped', async () => {
    await deployCapturing('cap-out', {
      InitialSamplingPercentage: 100,
      DestinationS3Uri: 's3://capture/out-only/',
      CaptureOptions: [{ CaptureMode: 'Output' }],
      CaptureContentTypeHeader: { JsonContentTypes: ['text/csv'] },
    });
    await deployCapturing('cap-off', { EnableCapture: false, InitialSamplingPercentage: 100, DestinationS3Uri: 's3://capture/off', CaptureOptions: [{ CaptureMode: 'InputAndOutput' }] });
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'cap-off' }))).DataCaptureConfig).toMatchObject({ EnableCapture: false, CaptureStatus: 'Stopped' });
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-out', ContentType: 'text/csv', Body: enc('1') }));
    await runtime.send(new InvokeEndpointCommand({ EndpointName: 'cap-off', ContentType: 'text/csv', Body: enc('1') }));
    await removeEndpoint(server, 'cap-out');
    await removeEndpoint(server, 'cap-off');
    const out = await records('out-only/');
    expect(out.map((g) => g.record.captureData)).toEqual([{ endpointOutput: { observedContentType: 'text/csv', mode: 'OUTPUT', data: '4.000', encoding: 'JSON' } }]);
    expect(out[0]!.key).toMatch(/^out-only\/cap-out\/AllTraffic\//);
    expect(await records('off/')).toEqual([]);
  });
});
