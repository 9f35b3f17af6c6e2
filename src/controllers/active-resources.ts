import type { MetadataStore, ResourceRecord } from '../store/metadata-store.js';

/**
 * Every resource of `kind` whose status is one of `statuses`, oldest first within each status,
 * page by page: what each controller's scan walks.
 */
export async function* resourcesInStatuses<T>(store: MetadataStore, kind: string, statuses: readonly string[]): AsyncGenerator<ResourceRecord<T>> {
  for (const status of statuses) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<T>({ kind, statusEquals: status, sortBy: 'creationTime', sortOrder: 'asc', limit: 500, cursor });
      yield* page.items;
      cursor = page.nextCursor;
    } while (cursor);
  }
}
