import { expect } from 'vitest';
import type { ListQuery, MetadataStore, NewResource, SortKey } from '../metadata-store.js';

export type Row = NewResource<unknown> & { lastModifiedTime: number };

const pad = (n: number) => String(n).padStart(3, '0');

/**
 * n records with many ties on every sort key (so the id tie-break matters), ids not in creation
 * order, mixed-case names, five statuses including none, two parents.
 */
export function makeListDataset(kind: string, n: number): Row[] {
  const statuses = ['InProgress', 'Completed', 'Failed', 'Stopped', null];
  const prefixes = ['Alpha', 'beta', 'GAMMA', 'delta'];
  return Array.from({ length: n }, (_, i) => {
    const id = `j${pad((i * 37) % n)}`;
    return {
      kind,
      id,
      name: `${prefixes[i % 4]}-${pad((i * 7) % 60)}`,
      arn: `arn:aws:sagemaker:us-east-1:000000000000:${kind}/${id}`,
      parent: i % 2 ? 'd-odd' : 'd-even',
      status: statuses[i % 5]!,
      creationTime: 1_700_000_000_000 + Math.floor(i / 3) * 1000,
      lastModifiedTime: 1_700_000_000_000 + ((i * 13) % 50) * 1000,
      doc: { i },
    };
  });
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function sortValue(r: Row, sortBy: SortKey): string | number {
  if (sortBy === 'name') return r.name;
  if (sortBy === 'status') return r.status ?? '';
  if (sortBy === 'creationTime') return r.creationTime;
  return r.lastModifiedTime;
}

/** Ids in the order the store must return them: sort value, then id; desc reverses both. */
export function expectedOrder(rows: readonly Row[], sortBy: SortKey, order: 'asc' | 'desc'): string[] {
  const sorted = [...rows].sort((a, b) => cmp(sortValue(a, sortBy), sortValue(b, sortBy)) || cmp(a.id, b.id));
  if (order === 'desc') sorted.reverse();
  return sorted.map((r) => r.id);
}

/** Follows nextCursor to the end; checks that a page with a cursor is full. */
export async function collectPages(store: MetadataStore, q: ListQuery): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let cursor: string | undefined = q.cursor;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await store.listResources({ ...q, cursor });
    ids.push(...page.items.map((r) => r.id));
    pageSizes.push(page.items.length);
    if (!page.nextCursor) return { ids, pageSizes };
    expect(page.items.length).toBeGreaterThan(0);
    cursor = page.nextCursor;
  }
  throw new Error('pagination did not end');
}
