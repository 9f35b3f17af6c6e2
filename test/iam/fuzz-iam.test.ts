/**
 * The generic fuzz (test/fuzz/fuzz.test.ts) for IAM's handlers and STS's new ones: requests
 * generated from the official model's input shapes, valid and mutated, properly signed by the
 * admin, and the same requests signed by a role session with no permissions. No input may yield a
 * 5xx; every error is IAM's/STS's query-protocol XML error; a session is denied, never crashed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServiceModel, type ServiceModel } from '../../src/models/index.js';
import { iamService } from '../../src/services/iam/index.js';
import { stsService } from '../../src/services/sts/index.js';
import type { ServiceModule } from '../../src/services/service.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { mutate, mutation, toJsonBody, validValue } from '../fuzz/support/arbitraries.js';
import { toQueryParams } from '../fuzz/support/query-form.js';
import { closeAgent, sendSigned, type RawResponse } from '../fuzz/support/send.js';

const RUNS = 400;
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  closeAgent();
  await server?.close();
});

function queryErrorCode(r: RawResponse): string {
  const m = /<ErrorResponse[^>]*>\s*<Error>[\s\S]*<Code>([^<]+)<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>[\s\S]*<\/Error>/.exec(r.body);
  expect(m, `${r.status} ${r.body.slice(0, 300)}`).not.toBeNull();
  return m![1]!;
}

function call(model: ServiceModel, signingName: string, op: string, input: Record<string, unknown>, as?: TestServer): Promise<RawResponse> {
  const params: [string, string][] = [['Action', op], ['Version', model.metadata.apiVersion]];
  toQueryParams(model, model.operations[op]!.input?.shape ?? '', input, '', params);
  return sendSigned(as ?? server, signingName, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: new URLSearchParams(params).toString() });
}

describe.each([[iamService, 'iam'], [stsService, 'sts']] as [ServiceModule, string][])('fuzz %#', (module, signingName) => {
  const model = getServiceModel(module.model)!;
  const ops = Object.keys(module.handlers).sort();

  it(`${signingName}: implements only operations of its model`, () => {
    for (const op of ops) expect(model.operations[op], op).toBeDefined();
  });

  it(`${signingName}: answers generated valid and mutated requests without 5xx, in its own error shape`, async () => {
    const request = fc.constantFrom(...ops).chain((op) => {
      const shape = model.operations[op]?.input?.shape;
      return fc.record({ op: fc.constant(op), input: (shape ? validValue(model, shape) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>>, mutation });
    });
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, input, mutation: m }) => {
        const sent = mutate(input ?? {}, m);
        const r = await call(model, signingName, op, sent);
        expect(r.status, `${op} ${toJsonBody(sent).slice(0, 300)} → ${r.status} ${r.body.slice(0, 300)}`).toBeLessThan(500);
        if (r.status < 400) return void reached++;
        const code = queryErrorCode(r);
        expect(['InvalidAction', 'NotImplemented', 'InvalidClientTokenId', 'SignatureDoesNotMatch']).not.toContain(code);
        // Most generated IAM requests name a role or policy that does not exist, so few succeed;
        // an answer the handler gave (NoSuchEntity, MalformedPolicyDocument…) shows it was reached.
        if (!['ValidationError', 'InvalidParameterValue'].includes(code)) reached++;
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
    expect(reached).toBeGreaterThan(RUNS / 10);
  });
});

describe('fuzz as a role session without permissions', () => {
  it('every IAM operation is denied with AccessDenied, never a 5xx', async () => {
    const iam = getServiceModel('iam')!;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }] });
    const created = await call(iam, 'iam', 'CreateRole', { RoleName: 'nobody', AssumeRolePolicyDocument: trust });
    expect(created.status, created.body).toBe(200);
    const sts = getServiceModel('sts')!;
    const assumed = await call(sts, 'sts', 'AssumeRole', { RoleArn: 'arn:aws:iam::000000000000:role/nobody', RoleSessionName: 'fuzz' });
    const text = (tag: string) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(assumed.body)![1]!;
    const session = { ...server, credentials: { accessKeyId: text('AccessKeyId'), secretAccessKey: text('SecretAccessKey'), sessionToken: text('SessionToken') } } as TestServer;
    const ops = Object.keys(iamService.handlers).sort();
    const request = fc.constantFrom(...ops).chain((op) => {
      const shape = iam.operations[op]?.input?.shape;
      return fc.record({ op: fc.constant(op), input: (shape ? validValue(iam, shape) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>> });
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ op, input }) => {
        const r = await call(iam, 'iam', op, input, session);
        expect(r.status, `${op} → ${r.status} ${r.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        // Model validation may answer first for input the model refuses; otherwise the session is denied.
        expect(['AccessDenied', 'ValidationError']).toContain(queryErrorCode(r));
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });
});
