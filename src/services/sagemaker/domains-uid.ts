import { StaleVersionError } from '../../core/errors.js';
import type { RequestContext } from '../service.js';
import { DOMAIN_KIND, requireDomain, type DomainDoc } from './domains-doc.js';

/**
 * The domain's next HomeEfsFileSystemUid (200001, 200002, …: user profiles and shared spaces each
 * get one, as in Studio), taken under the domain record's version so concurrent creates never share one.
 */
export async function allocateUid(ctx: RequestContext, domainId: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const record = await requireDomain(ctx, domainId);
    const uid = record.doc.NextUid;
    try {
      await ctx.platform.store.updateResource<DomainDoc>(DOMAIN_KIND, domainId, record.version, { doc: { ...record.doc, NextUid: uid + 1 }, lastModifiedTime: record.lastModifiedTime });
      return uid;
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 9) throw e;
    }
  }
}
