import { ServiceError } from '../../core/errors.js';

/**
 * IAM's Marker/MaxItems paging over an already sorted list: the marker is the sort key of the
 * last item returned (opaque to clients), so items added or removed between pages never shift
 * the others. MaxItems defaults to 100.
 */
export function page<T>(items: readonly T[], keyOf: (t: T) => string, input: { Marker?: string; MaxItems?: number }): { items: T[]; IsTruncated: boolean; Marker?: string } {
  let start = 0;
  if (input.Marker !== undefined) {
    let after: string;
    try {
      after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    } catch {
      after = '';
    }
    if (!after || Buffer.from(after, 'utf8').toString('base64url') !== input.Marker) {
      throw new ServiceError('ValidationError', 'Invalid Marker: pass the Marker of the previous response unchanged.', 400);
    }
    start = items.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = items.length;
  }
  const max = input.MaxItems ?? 100;
  const slice = items.slice(start, start + max);
  const truncated = start + max < items.length;
  return { items: slice, IsTruncated: truncated, ...(truncated ? { Marker: Buffer.from(keyOf(slice[slice.length - 1]!), 'utf8').toString('base64url') } : {}) };
}

/** IAM sorts names without regard to case. */
export const byKey = <T>(keyOf: (t: T) => string) => (a: T, b: T) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);
