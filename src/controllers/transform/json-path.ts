/**
 * The JSONPath subset SageMaker batch transform documents for DataProcessing InputFilter and
 * OutputFilter: `$` followed by segments, each one of
 *   `.name` or `['name']`       a member of an object
 *   `['a','b']`                 several members: an object holding just those
 *   `[i]`                       one element (negative counts from the end)
 *   `[i,j,a:b,a:]`              several elements and/or slices: an array
 * CSV records are filtered as arrays of their fields. Not supported (refused when the job is
 * created): wildcards (`*`), recursive descent (`..`), filter and script expressions, slice steps.
 */
export type PathSegment =
  | { kind: 'member'; names: string[]; many: boolean }
  | { kind: 'index'; items: ({ index: number } | { start?: number; end?: number })[]; many: boolean };

export class JsonPathError extends Error {}

export function parseJsonPath(path: string): PathSegment[] {
  const p = path.trim();
  if (!p.startsWith('$')) throw new JsonPathError(`JSONPath ${path} must start with $`);
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      const m = /^\.([A-Za-z_][A-Za-z0-9_-]*)/.exec(p.slice(i));
      if (!m) throw new JsonPathError(`JSONPath ${path} is not supported by Clary at position ${i} (supported: $, .name, ['name',…], [i,…], [a:b])`);
      segments.push({ kind: 'member', names: [m[1]!], many: false });
      i += m[0].length;
    } else if (c === '[') {
      const close = p.indexOf(']', i);
      if (close < 0) throw new JsonPathError(`JSONPath ${path} has an unclosed [`);
      segments.push(parseBracket(p.slice(i + 1, close), path));
      i = close + 1;
    } else {
      throw new JsonPathError(`JSONPath ${path} is not supported by Clary at position ${i} (supported: $, .name, ['name',…], [i,…], [a:b])`);
    }
  }
  return segments;
}

function parseBracket(body: string, path: string): PathSegment {
  const parts = body.split(',').map((s) => s.trim());
  if (parts.length === 0 || parts.some((s) => s === '')) throw new JsonPathError(`JSONPath ${path} has an empty selector`);
  if (parts.every((s) => /^'[^']*'$|^"[^"]*"$/.test(s))) {
    return { kind: 'member', names: parts.map((s) => s.slice(1, -1)), many: parts.length > 1 };
  }
  const items = parts.map((s) => {
    if (/^-?\d+$/.test(s)) return { index: Number(s) };
    const m = /^(-?\d+)?:(-?\d+)?$/.exec(s);
    if (!m) throw new JsonPathError(`JSONPath ${path}: selector [${body}] is not supported by Clary (indexes, slices a:b and quoted names are)`);
    return { start: m[1] === undefined ? undefined : Number(m[1]), end: m[2] === undefined ? undefined : Number(m[2]) };
  });
  return { kind: 'index', items, many: items.length > 1 || !('index' in items[0]!) };
}

/** Applies a parsed path; undefined when it selects nothing (a missing member or index). */
export function applyJsonPath(value: unknown, segments: readonly PathSegment[]): unknown {
  let cur: unknown = value;
  for (const seg of segments) {
    if (cur === undefined) return undefined;
    if (seg.kind === 'member') {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      const obj = cur as Record<string, unknown>;
      if (!seg.many) cur = obj[seg.names[0]!];
      else cur = Object.fromEntries(seg.names.filter((n) => n in obj).map((n) => [n, obj[n]]));
    } else {
      if (!Array.isArray(cur)) return undefined;
      const arr = cur;
      const norm = (n: number) => (n < 0 ? arr.length + n : n);
      const picked: unknown[] = [];
      for (const it of seg.items) {
        if ('index' in it) {
          const k = norm(it.index);
          if (k >= 0 && k < arr.length) picked.push(arr[k]);
        } else {
          const s = Math.max(0, it.start === undefined ? 0 : norm(it.start));
          const e = Math.min(arr.length, it.end === undefined ? arr.length : norm(it.end));
          for (let k = s; k < e; k++) picked.push(arr[k]);
        }
      }
      cur = seg.many ? picked : picked[0];
    }
  }
  return cur;
}
