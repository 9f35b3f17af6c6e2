/**
 * Fuzzes every operation Clary implements (the handlers of the SageMaker, Logs and STS service
 * modules: operations added later join automatically) with requests generated from the official
 * model's input shapes, valid and mutated, properly signed, against a real server; then the S3
 * REST-XML surface generically; then a handful of hand-made malformed requests. No input may
 * yield a 5xx (S3: other than 501), every error must be in the service's own shape, and the
 * server must still be healthy at the end.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServiceModel, type ServiceModel } from '../../src/models/index.js';
import type { ServiceModule } from '../../src/services/service.js';
import { logsService } from '../../src/services/logs/index.js';
import { sagemakerService } from '../../src/services/sagemaker/index.js';
import { stsService } from '../../src/services/sts/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { mutate, mutation, toJsonBody, validValue } from './support/arbitraries.js';
import { toQueryParams } from './support/query-form.js';
import { closeAgent, sendRaw, sendSigned, type RawResponse } from './support/send.js';
import { s3Request } from './support/s3-requests.js';

const AUTH_FAILURES = new Set([
  'IncompleteSignatureException', 'IncompleteSignature', 'InvalidSignatureException', 'SignatureDoesNotMatch',
  'UnrecognizedClientException', 'InvalidClientTokenId', 'MissingAuthenticationTokenException', 'MissingAuthenticationToken',
]);

/** Total property runs per service, shared among its operations (keeps the file well under 2 minutes). */
const RUNS_PER_SERVICE = 400;
const S3_RUNS = 400;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  closeAgent();
  await server?.close();
});

function describeResponse(r: RawResponse): string {
  return `${r.status} ${r.body.slice(0, 300)}`;
}

function jsonErrorCode(r: RawResponse): string {
  let body: unknown;
  try {
    body = JSON.parse(r.body);
  } catch {
    throw new Error(`error body is not JSON: ${describeResponse(r)}`);
  }
  const b = body as { __type?: unknown; message?: unknown };
  expect(typeof b.__type, describeResponse(r)).toBe('string');
  expect(typeof b.message, describeResponse(r)).toBe('string');
  return b.__type as string;
}

function queryErrorCode(r: RawResponse): string {
  const m = /<ErrorResponse[^>]*>\s*<Error>[\s\S]*<Code>([^<]+)<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>[\s\S]*<\/Error>/.exec(r.body);
  expect(m, describeResponse(r)).not.toBeNull();
  return m![1]!;
}

interface Target {
  readonly module: ServiceModule;
  readonly signingName: string;
}

const TARGETS: Target[] = [
  { module: sagemakerService, signingName: 'sagemaker' },
  { module: logsService, signingName: 'logs' },
  { module: stsService, signingName: 'sts' },
];

async function call(model: ServiceModel, t: Target, op: string, input: Record<string, unknown>): Promise<RawResponse> {
  if (model.metadata.protocol === 'query') {
    const params: [string, string][] = [['Action', op], ['Version', model.metadata.apiVersion]];
    toQueryParams(model, model.operations[op]!.input?.shape ?? '', input, '', params);
    return sendSigned(server, t.signingName, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body: new URLSearchParams(params).toString(),
    });
  }
  return sendSigned(server, t.signingName, {
    method: 'POST',
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${model.metadata.targetPrefix}.${op}` },
    body: toJsonBody(input),
  });
}

describe.each(TARGETS.map((t) => [t.module.model, t] as const))('fuzz %s', (_name, t) => {
  const model = getServiceModel(t.module.model)!;
  const ops = Object.keys(t.module.handlers).sort();

  it('implements only operations of its model', () => {
    expect(model).toBeDefined();
    for (const op of ops) expect(model.operations[op], op).toBeDefined();
  });

  it.runIf(ops.length > 0)('answers generated valid and mutated requests without 5xx, in its own error shape', async () => {
    const request = fc.constantFrom(...ops).chain((op) => {
      const shape = model.operations[op]?.input?.shape;
      const value = shape ? validValue(model, shape) : fc.constant({});
      return fc.record({ op: fc.constant(op), input: value as fc.Arbitrary<Record<string, unknown>>, mutation });
    });
    let reachedHandlers = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, input, mutation: m }) => {
        const sent = mutate(input ?? {}, m);
        const r = await call(model, t, op, sent);
        expect(r.status, `${op} ${toJsonBody(sent).slice(0, 300)} → ${describeResponse(r)}`).toBeLessThan(500);
        if (r.status >= 400) {
          const code = model.metadata.protocol === 'query' ? queryErrorCode(r) : jsonErrorCode(r);
          expect(AUTH_FAILURES.has(code), `${op} was refused by auth: ${describeResponse(r)}`).toBe(false);
          expect(['UnknownOperationException', 'InvalidAction', 'NotImplemented']).not.toContain(code);
        } else {
          reachedHandlers++;
        }
      }),
      { numRuns: RUNS_PER_SERVICE, endOnFailure: true },
    );
    // Unmutated, model-valid requests must get past validation at least sometimes.
    expect(reachedHandlers).toBeGreaterThan(0);
  });
});

describe('fuzz s3 (REST-XML)', () => {
  it('answers random methods, paths, subresources, headers and bodies without 5xx other than 501', async () => {
    await sendSigned(server, 's3', { method: 'PUT', path: '/fuzz-bucket' });
    await fc.assert(
      fc.asyncProperty(s3Request, async (req) => {
        const r = await sendSigned(server, 's3', req);
        const what = `${req.method} ${req.path} ${JSON.stringify(req.query)} → ${describeResponse(r)}`;
        expect(r.status < 500 || r.status === 501, what).toBe(true);
        if (r.status >= 400 && req.method !== 'HEAD' && r.body.length > 0) {
          expect(r.body, what).toMatch(/<Error>[\s\S]*<Code>[^<]+<\/Code>/);
        }
      }),
      { numRuns: S3_RUNS, endOnFailure: true },
    );
  });
});

describe('fuzz query parameters (STS)', () => {
  const segment = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'member', 'entry', 'key', 'value', '1', '0', '-1', '', 'Tags', 'Key', 'Value', 'PolicyArns', 'arn'),
    fc.string({ maxLength: 6 }),
  );
  const param = fc.tuple(fc.array(segment, { minLength: 1, maxLength: 6 }).map((p) => p.join('.')), fc.string({ maxLength: 12 }));

  it('odd parameter names neither crash the server nor pollute prototypes', async () => {
    const actions = fc.constantFrom('GetCallerIdentity', 'AssumeRole', 'GetSessionToken', 'NoSuchAction', '', '__proto__');
    await fc.assert(
      fc.asyncProperty(actions, fc.array(param, { maxLength: 8 }), async (action, params) => {
        const body = new URLSearchParams([['Action', action], ['Version', '2011-06-15'], ...params]).toString();
        const r = await sendSigned(server, 'sts', { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        const what = `${body} → ${describeResponse(r)}`;
        if (r.status >= 400) {
          const code = queryErrorCode(r);
          // An action of the model without a handler is a deliberate 501; nothing else may be 5xx.
          if (code !== 'NotImplemented') expect(r.status, what).toBeLessThan(500);
        }
        // The server runs in this process: a polluted prototype would show here.
        expect(Object.keys(Object.prototype), body).toEqual([]);
        expect(({} as Record<string, unknown>).polluted, body).toBeUndefined();
      }),
      { numRuns: 150, endOnFailure: true },
    );
    const r = await sendSigned(server, 'sts', {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15&__proto__.polluted=yes',
    });
    expect(r.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('malformed requests', () => {
  const json = (target: string | undefined, body: string | Buffer, extra: Record<string, string> = {}) =>
    sendSigned(server, 'sagemaker', {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', ...(target === undefined ? {} : { 'x-amz-target': target }), ...extra },
      body,
    });

  it('invalid and non-object JSON bodies are SerializationException', async () => {
    for (const body of ['{"TrainingJobName": ', '{]', '[1,2]', '"text"', '42', 'null', '\u0000']) {
      const r = await json('SageMaker.ListTrainingJobs', body);
      expect([r.status, jsonErrorCode(r)], `${body} → ${describeResponse(r)}`).toEqual([400, 'SerializationException']);
    }
  });

  it('a 20 MB body is refused with 413', async () => {
    const r = await sendRaw(server, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListTrainingJobs' },
      body: Buffer.alloc(20 * 1024 * 1024, 0x20),
    });
    expect([r.status, jsonErrorCode(r)]).toEqual([413, 'RequestEntityTooLargeException']);
  });

  it('a missing or unknown operation is UnknownOperationException', async () => {
    for (const target of [undefined, 'SageMaker', 'SageMaker.', 'SageMaker.NoSuchOperation', 'SageMaker.__proto__', 'SageMaker.constructor']) {
      const r = await json(target, '{}');
      expect([r.status, jsonErrorCode(r)], `${target} → ${describeResponse(r)}`).toEqual([400, 'UnknownOperationException']);
    }
  });

  it('a model operation without a handler is NotImplemented (501)', async () => {
    const model = getServiceModel('sagemaker')!;
    const missing = Object.keys(model.operations).find((op) => !sagemakerService.handlers[op]);
    if (!missing) return;
    const r = await json(`SageMaker.${missing}`, '{}');
    expect([r.status, jsonErrorCode(r)]).toEqual([501, 'NotImplemented']);
  });

  it('a garbage Authorization header is refused in the service\'s vocabulary', async () => {
    const cases: [string, number, string][] = [
      ['garbage', 403, 'MissingAuthenticationTokenException'],
      ['\u00ff\u00fe', 403, 'MissingAuthenticationTokenException'],
      ['AWS4-HMAC-SHA256 garbage', 400, 'IncompleteSignatureException'],
      ['AWS4-HMAC-SHA256 Credential=x, SignedHeaders=, Signature=', 400, 'IncompleteSignatureException'],
      ['AWS3 whatever', 400, 'IncompleteSignatureException'],
    ];
    for (const [auth, status, code] of cases) {
      const r = await sendRaw(server, {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.ListTrainingJobs', authorization: auth, 'x-amz-date': '20240101T000000Z' },
        body: '{}',
      });
      expect([r.status, jsonErrorCode(r)], `${auth} → ${describeResponse(r)}`).toEqual([status, code]);
    }
    const q = await sendRaw(server, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 garbage', 'x-amz-date': '20240101T000000Z' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect([q.status, queryErrorCode(q)]).toEqual([400, 'IncompleteSignature']);
  });

  it('the server is still healthy after all of it', async () => {
    const r = await sendRaw(server, { method: 'GET', path: '/_clary/health' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
  });
});
