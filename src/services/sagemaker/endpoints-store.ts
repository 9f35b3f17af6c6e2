import { StaleVersionError } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { ENDPOINT_KIND, type EndpointDoc } from './endpoints-doc.js';

/**
 * Optimistic update of an endpoint's document, re-run on the fresh document when something else
 * (a handler, the controller) changed it in between. `mutate` returns undefined to change nothing.
 * With `touch` false (bookkeeping only) LastModifiedTime stays as it is.
 */
export async function updateEndpoint(
  store: MetadataStore,
  name: string,
  mutate: (doc: EndpointDoc) => EndpointDoc | undefined,
  now: number,
  touch = true,
): Promise<EndpointDoc | undefined> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const rec = await store.getResource<EndpointDoc>(ENDPOINT_KIND, name);
    if (!rec) return undefined;
    const next = mutate(structuredClone(rec.doc));
    if (!next) return rec.doc;
    if (touch) next.LastModifiedTime = now;
    try {
      const saved = await store.updateResource<EndpointDoc>(ENDPOINT_KIND, name, rec.version, {
        doc: next,
        status: next.EndpointStatus,
        lastModifiedTime: touch ? now : rec.lastModifiedTime,
      });
      return saved?.doc;
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new Error(`endpoint ${name} kept changing; gave up updating it`);
}
