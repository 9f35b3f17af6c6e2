import { StaleVersionError } from '../../core/errors.js';
import { APP_KIND, type AppDoc } from '../../services/sagemaker/apps-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * Read-modify-write of an app's document with the store's optimistic version check, retried on a
 * concurrent change. `change` returns undefined to leave the app as it is. Resolves to the new doc.
 */
export async function patchApp(store: MetadataStore, id: string, change: (doc: AppDoc) => AppDoc | undefined, now = Date.now()): Promise<AppDoc | undefined> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const rec = await store.getResource<AppDoc>(APP_KIND, id);
    if (!rec) return undefined;
    const next = change(structuredClone(rec.doc));
    if (!next) return rec.doc;
    try {
      if (await store.updateResource<AppDoc>(APP_KIND, id, rec.version, { doc: next, status: next.Status, lastModifiedTime: now })) return next;
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new Error(`app ${id} kept changing under the controller`);
}
