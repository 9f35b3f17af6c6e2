/**
 * The fuzz of test/fuzz/fuzz.test.ts for CloudWatch, in each of its three protocols: requests
 * generated from the official model for every operation Clary implements, valid and mutated,
 * properly signed. No input may yield a 5xx, and every error must be in the protocol's own shape
 * with CloudWatch's query code in x-amzn-query-error (JSON, CBOR).
 */
import fc from 'fast-check';
import { cbor } from '@smithy/core/cbor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServiceModel } from '../../src/models/index.js';
import { cloudwatchService } from '../../src/services/cloudwatch/index.js';
import { mutate, mutation, toJsonBody, validValue } from '../fuzz/support/arbitraries.js';
import { toQueryParams } from '../fuzz/support/query-form.js';
import { closeAgent, sendSigned, type RawResponse } from '../fuzz/support/send.js';
import { startTestServer, type TestServer } from '../support/server.js';

const RUNS_PER_PROTOCOL = 200;
const model = getServiceModel('cloudwatch')!;
const ops = Object.keys(cloudwatchService.handlers).sort();
const ERROR_CODES = new Set(['InvalidParameterValue', 'MissingParameter', 'InvalidParameterCombination', 'InvalidNextToken', 'ValidationError', 'SerializationException', 'InvalidFormat']);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ controllers: false });
});
afterAll(async () => {
  closeAgent();
  await server?.close();
});

type Protocol = 'json' | 'cbor' | 'query';

function send(protocol: Protocol, op: string, input: Record<string, unknown>): Promise<RawResponse> | undefined {
  if (protocol === 'query') {
    const params: [string, string][] = [['Action', op], ['Version', model.metadata.apiVersion]];
    try {
      toQueryParams(model, model.operations[op]!.input?.shape ?? '', input, '', params);
    } catch {
      return undefined; // the shared form encoder cannot write some mutated values (prototype-less objects, invalid Dates)
    }
    return sendSigned(server, 'monitoring', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString() });
  }
  const json = toJsonBody(input);
  if (protocol === 'json') {
    return sendSigned(server, 'monitoring', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${op}` }, body: json });
  }
  return sendSigned(server, 'monitoring', {
    method: 'POST',
    path: `/service/GraniteServiceVersion20100801/operation/${op}`,
    headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor' },
    body: Buffer.from(cbor.serialize(JSON.parse(json))),
  });
}

function errorCode(protocol: Protocol, r: RawResponse): string {
  const what = `${r.status} ${r.body.slice(0, 300)}`;
  if (protocol === 'query') {
    const m = /<ErrorResponse[^>]*>\s*<Error>[\s\S]*<Code>([^<]+)<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>/.exec(r.body);
    expect(m, what).not.toBeNull();
    return m![1]!;
  }
  expect(r.headers['content-type'], what).toBe(protocol === 'json' ? 'application/x-amz-json-1.0' : 'application/cbor');
  const header = String(r.headers['x-amzn-query-error'] ?? '');
  expect(header, what).toMatch(/^[A-Za-z]+;(Sender|Receiver)$/);
  return header.split(';')[0]!;
}

describe.each(['json', 'cbor', 'query'] as const)('fuzz cloudwatch (%s)', (protocol) => {
  it('answers generated valid and mutated requests without 5xx, with CloudWatch error codes', async () => {
    const request = fc.constantFrom(...ops).chain((op) => {
      const shape = model.operations[op]?.input?.shape;
      return fc.record({ op: fc.constant(op), input: (shape ? validValue(model, shape) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>>, mutation });
    });
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, input, mutation: m }) => {
        const sent = mutate(input ?? {}, m);
        const pending = send(protocol, op, sent);
        if (!pending) return;
        const r = await pending;
        expect(r.status, `${op} ${toJsonBody(sent).slice(0, 300)} → ${r.status} ${r.body.slice(0, 300)}`).toBeLessThan(500);
        if (r.status >= 400) expect(ERROR_CODES, `${op} → ${r.status} ${r.body.slice(0, 300)}`).toContain(errorCode(protocol, r));
        else reached++;
      }),
      { numRuns: RUNS_PER_PROTOCOL, endOnFailure: true },
    );
    expect(reached).toBeGreaterThan(0);
  });

  it.runIf(protocol !== 'query')('refuses bodies that are not its encoding with SerializationException', async () => {
    for (const body of [Buffer.from('{"Namespace": '), Buffer.from([0xff]), Buffer.from([0x83, 0x01, 0x02, 0x03]), Buffer.from('text')]) {
      const r =
        protocol === 'json'
          ? await sendSigned(server, 'monitoring', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics' }, body })
          : await sendSigned(server, 'monitoring', { method: 'POST', path: '/service/GraniteServiceVersion20100801/operation/ListMetrics', headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body });
      expect([r.status, errorCode(protocol, r)], body.toString('hex')).toEqual([400, 'SerializationException']);
    }
  });
});
