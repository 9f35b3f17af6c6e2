/**
 * Fuzzes the validator alone, for every operation of every generated model (not only the ones
 * Clary implements): whatever JSON (or query-shaped strings) comes in, validateInput either
 * returns or throws a ServiceError with one of the protocol's input-error codes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../src/core/errors.js';
import { getServiceModel, validateInput } from '../../src/models/index.js';
import { SERVICES } from '../../scripts/gen-models.js';
import { mutate, mutation, validValue } from './support/arbitraries.js';

const JSON_CODES = new Set(['ValidationException', 'SerializationException']);
const QUERY_CODES = new Set(['ValidationError', 'InvalidParameterValue']);

function expectInputError(run: () => unknown, codes: Set<string>) {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ServiceError);
    expect(codes.has((e as ServiceError).code), (e as ServiceError).code).toBe(true);
    expect((e as ServiceError).status).toBe(400);
  }
}

describe.each(SERVICES.filter((s) => s !== 's3' && s !== 'sagemaker-runtime'))('validateInput fuzz: %s', (svc) => {
  const model = getServiceModel(svc)!;
  const ops = Object.keys(model.operations).sort();
  const query = model.metadata.protocol === 'query';

  it('random JSON never escapes as anything but an input error', () => {
    const anyJson = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.constantFrom(...ops), anyJson, (op, input) => {
        expectInputError(() => validateInput(model, op, input as Record<string, unknown>), query ? QUERY_CODES : JSON_CODES);
      }),
      { numRuns: 300 },
    );
  });

  it('model-shaped inputs with one mutation never escape as anything but an input error', () => {
    const arb = fc.constantFrom(...ops).chain((op) =>
      fc.record({
        op: fc.constant(op),
        input: (model.operations[op]!.input ? validValue(model, model.operations[op]!.input!.shape) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>>,
        m: mutation,
      }),
    );
    fc.assert(
      fc.property(arb, ({ op, input, m }) => {
        const sent = mutate(input ?? {}, m);
        expectInputError(() => validateInput(model, op, sent), query ? QUERY_CODES : JSON_CODES);
      }),
      { numRuns: 150 },
    );
  });
});
