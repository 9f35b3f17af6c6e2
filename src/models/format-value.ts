import type { ServiceModel, ShapeModel } from './types.js';

/** Longest rendering of a value inside a validation message; longer ones are cut with "...". */
const MAX_RENDER = 2048;

/**
 * Renders a value the way Coral's validation messages print it (Java toString): strings as is,
 * lists "[a, b]", maps "{k=v}", blobs as a HeapByteBuffer, doubles with a ".0".
 */
export function renderValue(model: ServiceModel, shape: ShapeModel | undefined, value: unknown): string {
  const budget = { left: MAX_RENDER };
  const s = render(model, shape, value, budget, 0);
  return budget.left < 0 ? s.slice(0, MAX_RENDER) + '...' : s;
}

function render(model: ServiceModel, shape: ShapeModel | undefined, value: unknown, budget: { left: number }, depth: number): string {
  if (budget.left < 0 || depth > 16) return '...';
  let out: string;
  if (value === null || value === undefined) out = 'null';
  else if (Buffer.isBuffer(value)) out = `java.nio.HeapByteBuffer[pos=0 lim=${value.length} cap=${value.length}]`;
  else if (value instanceof Date) out = value.toISOString();
  else if (Array.isArray(value)) {
    const m = shape?.member ? model.shapes[shape.member.shape] : undefined;
    const parts: string[] = [];
    for (const v of value) {
      if (budget.left < 0) break;
      parts.push(render(model, m, v, budget, depth + 1));
    }
    out = `[${parts.join(', ')}]`;
  } else if (typeof value === 'object') {
    const map = shape?.type === 'map';
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (budget.left < 0) break;
      const ref = map ? shape.value : shape?.members?.[k];
      parts.push(`${k}=${render(model, ref ? model.shapes[ref.shape] : undefined, v, budget, depth + 1)}`);
    }
    out = `{${parts.join(', ')}}`;
  } else if (typeof value === 'number' && (shape?.type === 'double' || shape?.type === 'float') && Number.isInteger(value)) {
    out = `${value}.0`;
  } else {
    out = String(value);
  }
  budget.left -= out.length;
  return out;
}
