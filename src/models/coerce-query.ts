import { ServiceError } from '../core/errors.js';
import { MAX_DEPTH } from './deserialize-json.js';
import type { MemberModel, ServiceModel } from './types.js';

const invalid = (message: string) => new ServiceError('InvalidParameterValue', message, 400);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The numbered entries of a query list/map container ("1", "2", …) in index order. */
function numbered(container: unknown): unknown[] {
  if (!isObject(container)) return [];
  return Object.keys(container)
    .filter((k) => /^[1-9]\d{0,5}$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => container[k]);
}

function wireName(name: string, member: MemberModel): string {
  return member.queryName ?? member.locationName ?? name;
}

function scalar(type: string, raw: unknown, name: string): unknown {
  if (typeof raw !== 'string') throw invalid(`Value for parameter ${name} must be a single value, not a structure.`);
  switch (type) {
    case 'string':
      return raw;
    case 'boolean': {
      const t = raw.toLowerCase();
      if (t !== 'true' && t !== 'false') throw invalid(`Value '${raw.slice(0, 256)}' for parameter ${name} is not a valid boolean.`);
      return t === 'true';
    }
    case 'integer':
    case 'long':
      if (!/^[-+]?\d{1,18}$/.test(raw.trim())) throw invalid(`Value '${raw.slice(0, 256)}' for parameter ${name} is not a valid integer.`);
      return Number(raw);
    case 'float':
    case 'double': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw invalid(`Value '${raw.slice(0, 256)}' for parameter ${name} is not a valid number.`);
      return n;
    }
    case 'timestamp': {
      const d = /^\d+(\.\d+)?$/.test(raw) ? new Date(Number(raw) * 1000) : new Date(raw);
      if (Number.isNaN(d.getTime())) throw invalid(`Value '${raw.slice(0, 256)}' for parameter ${name} is not a valid timestamp.`);
      return d;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

/**
 * Turns the nested strings parseQueryParams produces ({Tags: {member: {'1': {Key: 'a'}}}}) into
 * the model's types: numbers, booleans, Dates, Buffers, arrays from ".member.N" (or flattened
 * ".N"), maps from ".entry.N.key/value". Members the model does not know are dropped.
 */
export function coerceQuery(model: ServiceModel, shapeName: string, raw: unknown, name = shapeName, flattened = false, depth = 0): unknown {
  if (raw === undefined) return undefined;
  const shape = model.shapes[shapeName];
  if (!shape) return undefined;
  if (depth > MAX_DEPTH) throw invalid(`Parameter ${name} nests deeper than ${MAX_DEPTH} levels.`);
  switch (shape.type) {
    case 'structure': {
      if (!isObject(raw)) return raw === '' ? {} : undefined;
      const out: Record<string, unknown> = {};
      for (const [memberName, member] of Object.entries(shape.members ?? {})) {
        const key = wireName(memberName, member);
        if (!Object.prototype.hasOwnProperty.call(raw, key)) continue;
        const v = coerceQuery(model, member.shape, raw[key], memberName, !!member.flattened, depth + 1);
        if (v !== undefined) out[memberName] = v;
      }
      return out;
    }
    case 'list': {
      if (raw === '') return [];
      const member = shape.member!;
      const flat = flattened || !!shape.flattened;
      const container = flat ? raw : isObject(raw) ? raw[member.locationName ?? 'member'] : undefined;
      if (!isObject(container)) throw invalid(`Value for parameter ${name} must be a list (${name}.member.N).`);
      return numbered(container).map((v) => coerceQuery(model, member.shape, v, name, false, depth + 1) ?? null);
    }
    case 'map': {
      if (raw === '') return {};
      const flat = flattened || !!shape.flattened;
      const container = flat ? raw : isObject(raw) ? raw.entry : undefined;
      if (!isObject(container)) throw invalid(`Value for parameter ${name} must be a map (${name}.entry.N.key / .value).`);
      const out: Record<string, unknown> = {};
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      for (const entry of numbered(container)) {
        if (!isObject(entry) || typeof entry[keyName] !== 'string') continue;
        const value = coerceQuery(model, shape.value!.shape, entry[valueName], name, false, depth + 1);
        Object.defineProperty(out, entry[keyName] as string, { value: value ?? null, enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    default:
      return scalar(shape.type, raw, name);
  }
}
