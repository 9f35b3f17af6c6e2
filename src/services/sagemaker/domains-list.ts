import type { ListDomainsRequest } from '../../generated/types/sagemaker.js';
import { canSeeDomain, viewerOf } from '../../studio/visibility.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { DOMAIN_KIND, domainUrl, type DomainDoc } from './domains-doc.js';

/**
 * ListDomains: newest first, MaxResults (default 10) and NextToken. A user-profile principal sees
 * only its own domain (a page may then hold fewer items than MaxResults; NextToken still leads on).
 */
export const listDomains: OperationHandler<ListDomainsRequest> = async (input, ctx) => {
  const viewer = viewerOf(ctx.principal);
  const page = await ctx.platform.store.listResources<DomainDoc>(toListQuery(DOMAIN_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Descending' }));
  return {
    Domains: page.items
      .filter((r) => canSeeDomain(viewer, r.id))
      .map(({ doc }) => ({
        DomainArn: doc.DomainArn,
        DomainId: doc.DomainId,
        DomainName: doc.DomainName,
        Status: doc.Status,
        CreationTime: new Date(doc.CreationTime),
        LastModifiedTime: new Date(doc.LastModifiedTime),
        Url: domainUrl(ctx.platform, doc.DomainId),
      })),
    NextToken: page.nextCursor,
  };
};
