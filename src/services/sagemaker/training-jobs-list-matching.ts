import { encodeCursor } from '../../store/cursor.js';
import type { ListPage, ListQuery, MetadataStore, ResourceRecord } from '../../store/metadata-store.js';

/** Store pages read per step while filtering on the document (bigger than a client page: fewer round trips). */
const SCAN_PAGE = 100;

/**
 * A keyset-paginated list with an extra filter on each record's document (for List* filters the
 * store does not index, e.g. ListTrainingJobs' WarmPoolStatusEquals). Reads store pages until
 * `query.limit` records match; the NextToken is the store's own cursor positioned after the last
 * match, so paging stays stable under inserts and an invalid token is the store's ValidationException.
 */
export async function listMatching<T>(store: MetadataStore, query: ListQuery, matches?: (doc: T) => boolean): Promise<ListPage<T>> {
  if (!matches) return store.listResources<T>(query);
  const limit = query.limit ?? 10;
  const items: ResourceRecord<T>[] = [];
  let cursor = query.cursor;
  for (;;) {
    const page = await store.listResources<T>({ ...query, cursor, limit: Math.max(limit, SCAN_PAGE) });
    for (let i = 0; i < page.items.length; i++) {
      const record = page.items[i]!;
      if (!matches(record.doc)) continue;
      items.push(record);
      if (items.length === limit) {
        const more = i < page.items.length - 1 || page.nextCursor !== undefined;
        return { items, nextCursor: more ? cursorAfter(query, record) : undefined };
      }
    }
    if (page.nextCursor === undefined) return { items };
    cursor = page.nextCursor;
  }
}

function cursorAfter(query: ListQuery, r: ResourceRecord): string {
  const sortBy = query.sortBy ?? 'creationTime';
  const value =
    sortBy === 'name' ? r.name : sortBy === 'status' ? (r.status ?? '') : sortBy === 'creationTime' ? r.creationTime : r.lastModifiedTime;
  return encodeCursor({ kind: query.kind, sortBy, order: query.sortOrder ?? 'desc', value, id: r.id });
}
