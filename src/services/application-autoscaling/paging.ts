import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import { invalidNextToken, validation } from './errors.js';

/** MaxResults for AAS lists: 1..50, default 50. */
export function maxResults(n: number | undefined): number {
  if (n === undefined) return 50;
  if (n < 1 || n > 50) throw validation(`1 validation error detected: Value '${n}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50`);
  return n;
}

/** Every record of a kind (optionally under a parent), by name. Targets and policies are few. */
export async function allOf<T>(store: MetadataStore, kind: string, parent?: string): Promise<ResourceRecord<T>[]> {
  const out: ResourceRecord<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listResources<T>({ kind, parent, sortBy: 'name', sortOrder: 'asc', limit: 1000, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Offset paging over an in-memory list; the token names the offset. */
export function pageOf<T>(items: readonly T[], token: string | undefined, limit: number): { items: T[]; NextToken?: string } {
  let offset = 0;
  if (token !== undefined) {
    const m = /^o:(\d{1,9})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw invalidNextToken();
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`o:${offset + limit}`).toString('base64url') : undefined;
  return { items: slice, ...(next ? { NextToken: next } : {}) };
}
