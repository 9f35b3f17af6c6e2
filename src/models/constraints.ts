import { renderValue } from './format-value.js';
import { modelPattern } from './regex.js';
import type { ServiceModel, ShapeModel } from './types.js';

/** Coral stops after this many violations (and says so in the count). */
export const MAX_VIOLATIONS = 10;

/** Strings longer than this that already break their max length skip the pattern test (ReDoS guard). */
const PATTERN_GUARD = 4096;

export interface Violations {
  readonly list: string[];
}

const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

function sizeOf(shape: ShapeModel, value: unknown): number | undefined {
  if (typeof value === 'string') return value.length;
  if (Buffer.isBuffer(value)) return value.length;
  if (Array.isArray(value)) return value.length;
  if (shape.type === 'map' && value && typeof value === 'object') return Object.keys(value).length;
  return undefined;
}

/** The constraint messages a single value breaks, in Coral's order (max, min, pattern, enum). */
export function brokenConstraints(shape: ShapeModel, value: unknown): string[] {
  const out: string[] = [];
  if (typeof value === 'number') {
    if (shape.max !== undefined && value > shape.max) out.push(`Member must have value less than or equal to ${shape.max}`);
    if (shape.min !== undefined && value < shape.min) out.push(`Member must have value greater than or equal to ${shape.min}`);
    return out;
  }
  const size = sizeOf(shape, value);
  if (size !== undefined) {
    if (shape.max !== undefined && size > shape.max) out.push(`Member must have length less than or equal to ${shape.max}`);
    if (shape.min !== undefined && size < shape.min) out.push(`Member must have length greater than or equal to ${shape.min}`);
  }
  if (typeof value === 'string') {
    const tooLong = shape.max !== undefined && value.length > shape.max && value.length > PATTERN_GUARD;
    if (shape.pattern !== undefined && !tooLong && !modelPattern(shape.pattern).test(value)) {
      out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
    }
    if (shape.enum && !shape.enum.includes(value)) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  }
  return out;
}

/** Every constraint a shape declares, as listed inside "Member must satisfy constraint: [...]". */
function declaredConstraints(shape: ShapeModel): string[] {
  const out: string[] = [];
  const numeric = ['integer', 'long', 'float', 'double'].includes(shape.type);
  const word = numeric ? 'value' : 'length';
  if (shape.max !== undefined) out.push(`Member must have ${word} less than or equal to ${shape.max}`);
  if (shape.min !== undefined) out.push(`Member must have ${word} greater than or equal to ${shape.min}`);
  if (shape.pattern !== undefined) out.push(`Member must satisfy regular expression pattern: ${shape.pattern}`);
  if (shape.enum) out.push(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
  return out;
}

const isComposite = (s: ShapeModel | undefined) => !!s && (s.type === 'structure' || s.type === 'list' || s.type === 'map');

function push(model: ServiceModel, v: Violations, shape: ShapeModel | undefined, value: unknown, path: string, message: string) {
  if (v.list.length >= MAX_VIOLATIONS) return;
  const shown = shape?.sensitive && value !== null && value !== undefined ? 'Value' : value === null || value === undefined ? 'Value null' : `Value '${renderValue(model, shape, value)}'`;
  v.list.push(`${shown} at '${path}' failed to satisfy constraint: ${message}`);
}

/** Elements of a list (or keys/values of a map) of simple values are reported once, for the whole collection. */
function checkElements(model: ServiceModel, v: Violations, owner: ShapeModel, value: unknown, path: string, elem: ShapeModel, values: unknown[], label: string) {
  const hasNull = values.some((x) => x === null || x === undefined);
  if (!hasNull && !values.some((x) => brokenConstraints(elem, x).length > 0)) return;
  const listed = declaredConstraints(elem);
  if (hasNull) listed.push('Member must not be null');
  push(model, v, owner, value, path, `${label} must satisfy constraint: [${listed.join(', ')}]`);
}

/**
 * Collects the constraint violations of an already type-checked value, walking the model in
 * member-name order with AWS's camelCase, 1-based paths ("inputDataConfig.1.member.channelName").
 */
export function collectViolations(model: ServiceModel, shapeName: string, value: unknown, path: string, v: Violations, depth = 0): void {
  const shape = model.shapes[shapeName];
  if (!shape || value === undefined || value === null || v.list.length >= MAX_VIOLATIONS || depth > 64) return;
  const prefix = path ? `${path}.` : '';
  for (const msg of brokenConstraints(shape, value)) push(model, v, shape, value, path, msg);
  switch (shape.type) {
    case 'structure': {
      const obj = value as Record<string, unknown>;
      const required = new Set(shape.required ?? []);
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const child = obj[name];
        const childPath = prefix + lowerFirst(name);
        if ((child === undefined || child === null) && required.has(name)) {
          push(model, v, model.shapes[member.shape], null, childPath, 'Member must not be null');
        } else {
          collectViolations(model, member.shape, child, childPath, v, depth + 1);
        }
      }
      return;
    }
    case 'list': {
      const items = value as unknown[];
      const elemName = shape.member!.shape;
      const elem = model.shapes[elemName];
      if (!elem) return;
      if (!isComposite(elem)) return checkElements(model, v, shape, value, path, elem, items, 'Member');
      items.forEach((item, i) => {
        const p = `${prefix}${i + 1}.member`;
        if (item === null || item === undefined) push(model, v, elem, null, p, 'Member must not be null');
        else collectViolations(model, elemName, item, p, v, depth + 1);
      });
      return;
    }
    case 'map': {
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj);
      const keyShape = model.shapes[shape.key!.shape];
      const valueName = shape.value!.shape;
      const valueShape = model.shapes[valueName];
      if (keyShape) checkElements(model, v, shape, value, path, keyShape, keys, 'Map keys');
      if (!valueShape) return;
      const values = keys.map((k) => obj[k]);
      if (!isComposite(valueShape)) return checkElements(model, v, shape, value, path, valueShape, values, 'Map value');
      for (const k of keys) collectViolations(model, valueName, obj[k], `${prefix}${k}.member`, v, depth + 1);
      return;
    }
    default:
      return;
  }
}
