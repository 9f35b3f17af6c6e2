import { validationException } from '../core/errors.js';
import type { SortKey } from './metadata-store.js';

/**
 * Keyset cursor of resource lists: the sort key value and id of the last item of a page, plus the
 * kind and ordering it belongs to. The next page starts strictly after (sortValue, id) in that
 * ordering, so inserts and deletes between pages never shift, repeat or skip existing items
 * (no OFFSET). Opaque to clients: base64url of a small JSON object.
 */
export interface ListCursor {
  readonly kind: string;
  readonly sortBy: SortKey;
  readonly order: 'asc' | 'desc';
  /** The sort column's stored value: a number for times, a string for name and status. */
  readonly value: string | number;
  readonly id: string;
}

const MAX_CURSOR_CHARS = 8192;

export function encodeCursor(c: ListCursor): string {
  return Buffer.from(JSON.stringify([1, c.kind, c.sortBy, c.order, c.value, c.id]), 'utf8').toString('base64url');
}

const invalid = () => validationException('Invalid pagination token: pass the NextToken of the previous response unchanged.');

/** Decodes a cursor for this kind and ordering; anything else is a ValidationException. */
export function decodeCursor(text: string, expect: { kind: string; sortBy: SortKey; order: 'asc' | 'desc' }): ListCursor {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_CHARS || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 6 || parsed[0] !== 1) throw invalid();
  const [, kind, sortBy, order, value, id] = parsed as unknown[];
  if (kind !== expect.kind || sortBy !== expect.sortBy || order !== expect.order || typeof id !== 'string') throw invalid();
  const numeric = sortBy === 'creationTime' || sortBy === 'lastModifiedTime';
  if (numeric ? typeof value !== 'number' || !Number.isSafeInteger(value) : typeof value !== 'string') throw invalid();
  return { kind: expect.kind, sortBy: expect.sortBy, order: expect.order, value: value as string | number, id };
}
