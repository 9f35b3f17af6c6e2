/**
 * Turns an official botocore service-2.json into Clary's compact model: documentation and
 * client-only hints dropped, every constraint and wire detail kept.
 */
import type { ServiceModel } from '../../src/models/types.js';

type Json = Record<string, any>;

const METADATA_KEYS = [
  'apiVersion', 'endpointPrefix', 'jsonVersion', 'protocol', 'protocols', 'serviceFullName', 'serviceId',
  'signingName', 'targetPrefix', 'uid', 'xmlNamespace',
] as const;

const SHAPE_KEYS = [
  'type', 'required', 'enum', 'pattern', 'min', 'max', 'flattened', 'locationName', 'timestampFormat', 'sensitive',
  'union', 'payload', 'streaming', 'eventstream', 'event', 'exception', 'fault', 'error', 'xmlNamespace', 'document',
] as const;

const MEMBER_KEYS = [
  'shape', 'location', 'locationName', 'queryName', 'flattened', 'xmlAttribute', 'xmlNamespace', 'timestampFormat',
  'jsonvalue', 'idempotencyToken', 'hostLabel', 'streaming', 'eventpayload', 'deprecated',
] as const;

function pick(src: Json, keys: readonly string[]): Json {
  const out: Json = {};
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out;
}

const member = (m: Json): Json => pick(m, MEMBER_KEYS);

function shape(s: Json): Json {
  const out = pick(s, SHAPE_KEYS);
  if (s.members) {
    out.members = {};
    for (const [name, m] of Object.entries<Json>(s.members)) out.members[name] = member(m);
  }
  for (const k of ['member', 'key', 'value'] as const) if (s[k]) out[k] = member(s[k]);
  return out;
}

function ref(r: Json | undefined): Json | undefined {
  return r ? pick(r, ['shape', 'locationName', 'resultWrapper', 'xmlNamespace']) : undefined;
}

export function compactModel(raw: Json, generatedBy: string): ServiceModel {
  const operations: Json = {};
  for (const [name, op] of Object.entries<Json>(raw.operations)) {
    const out: Json = { name, http: pick(op.http ?? {}, ['method', 'requestUri', 'responseCode']) };
    const input = ref(op.input);
    const output = ref(op.output);
    if (input) out.input = input;
    if (output) out.output = output;
    if (op.errors?.length) out.errors = op.errors.map((e: Json) => e.shape);
    if (op.deprecated) out.deprecated = true;
    operations[name] = out;
  }
  const shapes: Json = {};
  for (const [name, s] of Object.entries<Json>(raw.shapes)) shapes[name] = shape(s);
  return {
    _generated: generatedBy,
    metadata: pick(raw.metadata, METADATA_KEYS),
    operations,
    shapes,
  } as unknown as ServiceModel;
}

/**
 * JSON with object keys sorted at every level (arrays keep their order), so the same model always
 * gives the same bytes; one operation or shape per line keeps diffs of a model update readable.
 */
export function stableModelJson(model: ServiceModel): string {
  const sorted = sortKeys(model) as Json;
  const section = (obj: Json) =>
    '{\n' + Object.keys(obj).map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(obj[k])}`).join(',\n') + '\n }';
  const parts = Object.keys(sorted).map((k) => {
    const v = sorted[k];
    return ` ${JSON.stringify(k)}: ${k === 'operations' || k === 'shapes' ? section(v) : JSON.stringify(v)}`;
  });
  return '{\n' + parts.join(',\n') + '\n}\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Json = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Json)[k]);
    return out;
  }
  return value;
}
