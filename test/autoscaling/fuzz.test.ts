/**
 * The fuzz of test/fuzz/fuzz.test.ts for Application Auto Scaling: requests generated from the
 * official model for every operation Clary implements, valid and mutated, properly signed. No
 * input may yield a 5xx, and every error is JSON with one of the service's codes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServiceModel } from '../../src/models/index.js';
import { createApplicationAutoScalingService } from '../../src/services/application-autoscaling/index.js';
import { mutate, mutation, toJsonBody, validValue } from '../fuzz/support/arbitraries.js';
import { closeAgent, sendSigned } from '../fuzz/support/send.js';
import { startTestServer, type TestServer } from '../support/server.js';

const model = getServiceModel('application-autoscaling')!;
const ops = Object.keys(createApplicationAutoScalingService().handlers).sort();
const CODES = new Set(['ValidationException', 'ObjectNotFoundException', 'ConcurrentUpdateException', 'InvalidNextTokenException', 'SerializationException']);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ controllers: false });
});
afterAll(async () => {
  closeAgent();
  await server?.close();
});

describe('fuzz application-autoscaling', () => {
  it('answers generated valid and mutated requests without 5xx, in its own error shape', async () => {
    const request = fc.constantFrom(...ops).chain((op) => {
      const shape = model.operations[op]?.input?.shape;
      return fc.record({ op: fc.constant(op), input: (shape ? validValue(model, shape) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>>, sagemaker: fc.boolean(), mutation });
    });
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ op, input, sagemaker, mutation: m }) => {
        // Random enums almost never name sagemaker: half the requests are about an endpoint variant.
        const base = sagemaker
          ? { ...input, ServiceNamespace: 'sagemaker', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount', ...('ResourceId' in (input ?? {}) ? { ResourceId: 'endpoint/ep/variant/v' } : {}) }
          : input;
        const sent = mutate(base ?? {}, m);
        const r = await sendSigned(server, 'application-autoscaling', {
          method: 'POST',
          path: '/',
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AnyScaleFrontendService.${op}` },
          body: toJsonBody(sent),
        });
        const what = `${op} ${toJsonBody(sent).slice(0, 300)} → ${r.status} ${r.body.slice(0, 300)}`;
        expect(r.status, what).toBeLessThan(500);
        if (r.status >= 400) {
          const body = JSON.parse(r.body) as { __type?: string; message?: string };
          expect(CODES, what).toContain(body.__type);
          expect(typeof body.message, what).toBe('string');
        } else {
          reached++;
        }
      }),
      { numRuns: 400, endOnFailure: true },
    );
    expect(reached).toBeGreaterThan(0);
  });
});
