import type { ServiceModel } from '../../../src/models/index.js';
import { Deep } from './arbitraries.js';

/** Serialises a typed input as AWS query parameters (Member.N / entry.N.key), as botocore's QuerySerializer does. */
export function toQueryParams(model: ServiceModel, shapeName: string, value: unknown, prefix: string, out: [string, string][]): void {
  const shape = model.shapes[shapeName];
  if (value instanceof Deep) return void out.push([`${prefix}${'.member.1'.repeat(value.depth)}`, 'x']);
  if (value === undefined || value === null || !shape) return;
  switch (shape.type) {
    case 'structure':
      if (typeof value !== 'object' || Array.isArray(value)) return void out.push([prefix, String(value)]);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const m = shape.members?.[k];
        const key = m?.locationName ?? k;
        if (m) toQueryParams(model, m.shape, v, prefix ? `${prefix}.${key}` : key, out);
        else if (v instanceof Deep) toQueryParams(model, '', v, prefix ? `${prefix}.${k}` : k, out);
        else out.push([prefix ? `${prefix}.${k}` : k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
      }
      return;
    case 'list': {
      if (!Array.isArray(value)) return void out.push([prefix, typeof value === 'object' ? JSON.stringify(value) : String(value)]);
      if (value.length === 0) return void out.push([prefix, '']);
      value.forEach((v, i) => toQueryParams(model, shape.member!.shape, v, `${prefix}.member.${i + 1}`, out));
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || Array.isArray(value)) return void out.push([prefix, String(value)]);
      Object.entries(value as Record<string, unknown>).forEach(([k, v], i) => {
        out.push([`${prefix}.entry.${i + 1}.key`, k]);
        toQueryParams(model, shape.value!.shape, v, `${prefix}.entry.${i + 1}.value`, out);
      });
      return;
    }
    case 'timestamp':
      return void out.push([prefix, typeof value === 'number' ? new Date(value * 1000).toISOString() : String(value)]);
    default:
      return void out.push([prefix, typeof value === 'object' ? JSON.stringify(value) : String(value)]);
  }
}
