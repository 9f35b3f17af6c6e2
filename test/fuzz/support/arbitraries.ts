import fc from 'fast-check';
import { javaToJsPattern, modelPattern, type ServiceModel, type ShapeModel } from '../../../src/models/index.js';

type Arb = fc.Arbitrary<unknown>;

const CANDIDATES = [
  'a', 'abc', 'a-1', 'A1', '1', 'train', 'ml.m5.large', 'File', 's3://bucket/key', 'https://example.com/a',
  'arn:aws:sagemaker:us-east-1:000000000000:training-job/a', 'arn:aws:iam::000000000000:role/a',
  'arn:aws:iam::aws:policy/a-policy-arn-long-enough', '123456789012.dkr.ecr.us-east-1.amazonaws.com/img:latest',
];

function fallbackString(shape: ShapeModel): string {
  const min = shape.min ?? 0;
  const max = shape.max ?? 256;
  const ok = (s: string) => s.length >= min && s.length <= max && (!shape.pattern || modelPattern(shape.pattern).test(s));
  for (const c of CANDIDATES) if (ok(c)) return c;
  for (const ch of ['a', '1', 'A', ' ']) if (ok(ch.repeat(Math.max(min, 1)))) return ch.repeat(Math.max(min, 1));
  return 'a'.repeat(Math.max(min, 1));
}

const stringArbs = new Map<string, Arb>();

function stringArb(shape: ShapeModel): Arb {
  if (shape.enum?.length) return fc.constantFrom(...shape.enum);
  const key = `${shape.pattern ?? ''}|${shape.min ?? ''}|${shape.max ?? ''}`;
  let arb = stringArbs.get(key);
  if (arb) return arb;
  const fallback = fallbackString(shape);
  const min = shape.min ?? 0;
  const max = Math.min(shape.max ?? 64, 64);
  let base: fc.Arbitrary<string>;
  if (shape.pattern) {
    try {
      base = fc.stringMatching(new RegExp(`^(?:${javaToJsPattern(shape.pattern)})$`, 'u'));
    } catch {
      base = fc.constant(fallback);
    }
  } else {
    base = fc.string({ minLength: min, maxLength: Math.max(min, max), unit: 'grapheme' });
  }
  arb = fc.oneof(base.map((s) => (s.length >= min && s.length <= (shape.max ?? Infinity) ? s : fallback)), fc.constant(fallback));
  stringArbs.set(key, arb);
  return arb;
}

function numberArb(shape: ShapeModel, integer: boolean): Arb {
  const min = shape.min ?? -1000;
  const max = shape.max ?? Math.max(min, 0) + 1000;
  return integer
    ? fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31 - 1)) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/**
 * Values of a model shape that should pass validation, as a JSON client sends them (timestamps
 * as epoch seconds, blobs as base64). Optional members appear now and then; recursion is cut.
 */
export function validValue(model: ServiceModel, shapeName: string, depth = 0): Arb {
  const shape = model.shapes[shapeName];
  if (!shape) return fc.constant(undefined);
  switch (shape.type) {
    case 'structure': {
      const required = new Set(shape.required ?? []);
      const members: Record<string, Arb> = {};
      for (const [name, m] of Object.entries(shape.members ?? {})) {
        if (!required.has(name) && depth > 3) continue;
        members[name] = validValue(model, m.shape, depth + 1);
      }
      if (depth > 6) return fc.constant({});
      const requiredKeys = Object.keys(members).filter((k) => required.has(k));
      return fc.record(members, { requiredKeys });
    }
    case 'list': {
      const min = shape.min ?? 0;
      return fc.array(validValue(model, shape.member!.shape, depth + 1), { minLength: min, maxLength: Math.max(min, Math.min(shape.max ?? 2, 2)) });
    }
    case 'map': {
      const min = shape.min ?? 0;
      return fc
        .array(fc.tuple(validValue(model, shape.key!.shape, depth + 1), validValue(model, shape.value!.shape, depth + 1)), {
          minLength: min,
          maxLength: Math.max(min, Math.min(shape.max ?? 2, 2)),
        })
        .map((pairs) => Object.fromEntries(pairs as [string, unknown][]));
    }
    case 'string':
      return stringArb(shape);
    case 'integer':
    case 'long':
      return numberArb(shape, true);
    case 'float':
    case 'double':
      return numberArb(shape, false);
    case 'boolean':
      return fc.boolean();
    case 'timestamp':
      return fc.integer({ min: 0, max: 4_000_000_000 });
    case 'blob':
      return fc.uint8Array({ maxLength: Math.min(shape.max ?? 16, 16) }).map((b) => Buffer.from(b).toString('base64'));
    default:
      return fc.constant(null);
  }
}

const ODD_STRINGS = ['\u0000', '\uD800', '\uDFFF\uD800', '\u202E\u200B', '𝕏😀', 'ǅ̸̢̛', '%00', '../..', '<x/>&amp;', "'; DROP TABLE x;--", '\r\n'];

/** Nesting too deep for a recursive JSON.stringify: serialised as text by toJsonBody / toQueryParams. */
export class Deep {
  constructor(readonly depth: number) {}
}

/** JSON text of a request input, with each Deep spliced in as alternating objects and arrays. */
export function toJsonBody(value: unknown): string {
  const deeps: number[] = [];
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Deep ? `\u0000DEEP${deeps.push(v.depth) - 1}\u0000` : v));
  return text.replace(/"\\u0000DEEP(\d+)\\u0000"/g, (_m, i: string) => {
    const n = deeps[Number(i)]!;
    const half = Math.floor(n / 2);
    return '{"a":['.repeat(half) + '"x"' + ']}'.repeat(half);
  });
}

/** Huge strings and deep nesting travel as {$huge: n} / {$deep: n} so fast-check can print a counterexample. */
function materialize(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as { $huge?: number; $deep?: number };
    if (typeof o.$huge === 'number') return 'x'.repeat(o.$huge);
    if (typeof o.$deep === 'number') return new Deep(o.$deep);
  }
  return v;
}

/** A hostile value to put in place of a member: a wrong type, a huge or odd string, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, 2 ** 63, -(2 ** 53), '', [], {}, [null], JSON.parse('{"__proto__":{"polluted":1}}')),
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.record({ $huge: fc.integer({ min: 1, max: 1 << 20 }) }),
  fc.record({ $deep: fc.integer({ min: 100, max: 5000 }) }),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
);

export type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; pick: number }
  | { kind: 'replace'; pick: number; value: unknown }
  | { kind: 'extra'; key: string; value: unknown };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('replace' as const), pick: fc.nat(), value: hostileValue }) },
  fc.record({
    kind: fc.constant('extra' as const),
    key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''), fc.string({ maxLength: 12 })),
    value: hostileValue,
  }),
);

/** Applies a mutation to one member of a (possibly nested) object; JSON.parse keeps "__proto__" as a plain key. */
export function mutate(input: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  if (m.kind === 'none') return input;
  const out = JSON.parse(JSON.stringify(input)) as Record<string, unknown>;
  if (m.kind === 'extra') {
    Object.defineProperty(out, m.key, { value: materialize(m.value), enumerable: true, writable: true, configurable: true });
    return out;
  }
  const paths: [Record<string, unknown>, string][] = [];
  const walk = (o: Record<string, unknown>, depth: number) => {
    for (const k of Object.keys(o)) {
      paths.push([o, k]);
      const v = o[k];
      if (depth < 6 && v && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, depth + 1);
      if (depth < 6 && Array.isArray(v)) for (const x of v) if (x && typeof x === 'object' && !Array.isArray(x)) walk(x as Record<string, unknown>, depth + 1);
    }
  };
  walk(out, 0);
  if (paths.length === 0) return m.kind === 'replace' ? { Anything: materialize(m.value) } : out;
  const [obj, key] = paths[m.pick % paths.length]!;
  if (m.kind === 'drop') delete obj[key];
  else obj[key] = materialize(m.value);
  return out;
}
