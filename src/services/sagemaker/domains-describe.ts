import type { DescribeDomainRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { domainUrl, requireDomain, toDescribeDomain } from './domains-doc.js';

/** DescribeDomain: the stored domain; a missing (or, for a user profile, foreign) one is ResourceNotFound. */
export const describeDomain: OperationHandler<DescribeDomainRequest> = async (input, ctx) => {
  const { doc } = await requireDomain(ctx, input.DomainId);
  return toDescribeDomain(doc, domainUrl(ctx.platform, doc.DomainId));
};
