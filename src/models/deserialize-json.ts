import { ServiceError } from '../core/errors.js';
import type { MemberModel, ServiceModel, ShapeModel } from './types.js';

/** Deepest nesting of modeled structures/lists/maps Clary will walk. */
export const MAX_DEPTH = 64;

const serialization = (message: string) => new ServiceError('SerializationException', message, 400);

function kindError(value: unknown, expected: string): ServiceError {
  if (Array.isArray(value)) return serialization('Start of list found where not expected');
  if (value !== null && typeof value === 'object') return serialization('Start of structure or map found where not expected.');
  const cls =
    typeof value === 'boolean' ? 'java.lang.Boolean' : typeof value === 'number' ? 'com.amazon.coral.value.json.numbers.TruncatingBigNumber' : 'java.lang.String';
  return serialization(`class ${cls} can not be converted to ${expected}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Reads a parsed AWS JSON body against the model, as Coral's deserializer does: the first type
 * mismatch is a SerializationException; JSON null counts as absent; members the model does not
 * know are dropped; timestamps become Dates (epoch seconds, or ISO 8601 text), blobs Buffers.
 */
export function deserializeJson(model: ServiceModel, shapeName: string, value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return undefined;
  const shape: ShapeModel | undefined = model.shapes[shapeName];
  if (!shape) return undefined;
  if (depth > MAX_DEPTH) throw serialization(`Input nests deeper than ${MAX_DEPTH} levels.`);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        if (Array.isArray(value)) throw kindError(value, 'a structure');
        throw serialization('Expected null');
      }
      const src = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        if (!Object.prototype.hasOwnProperty.call(src, name)) continue;
        const v = deserializeJson(model, member.shape, src[name], depth + 1);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        if (typeof value === 'object') throw serialization('Start of structure or map found where not expected.');
        throw serialization('Expected list or null');
      }
      const member = shape.member as MemberModel;
      return value.map((v) => (v === null ? null : deserializeJson(model, member.shape, v, depth + 1)));
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        if (Array.isArray(value)) throw serialization('Start of list found where not expected');
        throw serialization('Expected map or null');
      }
      const out: Record<string, unknown> = {};
      const valueShape = (shape.value as MemberModel).shape;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        Object.defineProperty(out, k, {
          value: v === null ? null : deserializeJson(model, valueShape, v, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 'string':
      if (typeof value !== 'string') throw kindError(value, 'an String');
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') {
        if (typeof value === 'string') throw serialization(`'${value.slice(0, 256).toUpperCase()}' can not be converted to an Boolean`);
        throw kindError(value, 'an Boolean');
      }
      return value;
    case 'integer':
    case 'long': {
      const name = shape.type === 'integer' ? 'Integer' : 'Long';
      if (typeof value !== 'number') throw kindError(value, `an ${name}`);
      if (!Number.isFinite(value)) throw serialization(`'${value}' can not be converted to an ${name}`);
      return Math.trunc(value);
    }
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw kindError(value, `an ${shape.type === 'float' ? 'Float' : 'Double'}`);
      return value;
    case 'timestamp': {
      let d: Date | undefined;
      if (typeof value === 'number') d = new Date(value * 1000);
      else if (typeof value === 'string') d = /^\d{4}-\d\d-\d\d/.test(value) ? new Date(value) : undefined;
      else throw kindError(value, 'milliseconds since epoch');
      if (!d || Number.isNaN(d.getTime())) throw serialization(`'${String(value).slice(0, 256)}' can not be converted to milliseconds since epoch`);
      return d;
    }
    case 'blob':
      if (typeof value !== 'string') throw kindError(value, 'a Blob');
      if (!BASE64.test(value)) throw serialization(`'${value.slice(0, 256)}' can not be converted to a Blob: it is not valid Base64`);
      return Buffer.from(value, 'base64');
    default:
      return value;
  }
}
