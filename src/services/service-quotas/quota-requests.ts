import { randomBytes } from 'node:crypto';
import type { OperationHandler } from '../service.js';
import { isServiceError } from '../../core/errors.js';
import { appliedValue, parseQuotaValue, setQuotaValue, type QuotaDefaults } from '../../compute/quotas/index.js';
import { accessDenied, illegalArgument, noSuchRequest } from './errors.js';
import { assertService, quotaByCode } from './read.js';
import { toRequestedChange } from './shapes.js';
import { decodeCursor, encodeToken } from './tokens.js';

/**
 * Quota increase requests. Clary has no support desk: the admin's request is approved and applied
 * at once; anyone else's is refused (only the admin may change what the account may use).
 * Each request is kept (kind "quota-request", parent = quota code) for the change history.
 */
export const QUOTA_REQUEST_KIND = 'quota-request';

export interface QuotaRequestDoc {
  readonly quotaCode: string;
  readonly quotaName: string;
  readonly desiredValue: number;
  readonly status: 'APPROVED';
  readonly requester: string;
  readonly created: number;
  readonly lastUpdated: number;
}

const requestIdOf = (): string => randomBytes(16).toString('hex');

export function requestHandlers(defaults: QuotaDefaults): Record<string, OperationHandler> {
  const history = (byQuota: boolean): OperationHandler => async (input, ctx) => {
    if (byQuota || input.ServiceCode !== undefined) assertService(input.ServiceCode);
    if (byQuota) quotaByCode(defaults, input.QuotaCode);
    if ((input.Status !== undefined && input.Status !== 'APPROVED') || input.QuotaRequestedAtLevel === 'RESOURCE') return { RequestedQuotas: [] };
    const page = await ctx.platform.store.listResources<QuotaRequestDoc>({
      kind: QUOTA_REQUEST_KIND,
      parent: byQuota ? input.QuotaCode : undefined,
      sortBy: 'creationTime',
      sortOrder: 'desc',
      limit: input.MaxResults ?? 20,
      cursor: decodeCursor(input.NextToken),
    });
    return {
      RequestedQuotas: page.items.map((r) => toRequestedChange(r.id, r.doc, ctx.platform.config)),
      NextToken: page.nextCursor ? encodeToken('c', page.nextCursor) : undefined,
    };
  };

  return {
    RequestServiceQuotaIncrease: async (input, ctx) => {
      assertService(input.ServiceCode);
      const def = quotaByCode(defaults, input.QuotaCode);
      if (!ctx.principal.isAdmin) throw accessDenied();
      if (input.ContextId !== undefined) throw illegalArgument('SageMaker quotas apply at the account level; ContextId is not supported.');
      let desired: number;
      try {
        desired = parseQuotaValue(input.DesiredValue);
      } catch (e) {
        throw isServiceError(e) ? illegalArgument(e.message) : e;
      }
      const store = ctx.platform.store;
      const current = await appliedValue(store, def);
      if (desired <= current) throw illegalArgument(`The requested value ${desired} must be greater than the current quota value ${current}.`);
      const now = ctx.platform.now();
      await setQuotaValue(store, def, desired, { scope: ctx.platform.config, setBy: ctx.principal.arn, now });
      const id = requestIdOf();
      const doc: QuotaRequestDoc = { quotaCode: def.code, quotaName: def.name, desiredValue: desired, status: 'APPROVED', requester: ctx.principal.arn, created: now, lastUpdated: now };
      await store.createResource({ kind: QUOTA_REQUEST_KIND, id, name: def.name, arn: '', parent: def.code, status: 'APPROVED', creationTime: now, lastModifiedTime: now, doc });
      return { RequestedQuota: toRequestedChange(id, doc, ctx.platform.config) };
    },
    GetRequestedServiceQuotaChange: async (input, ctx) => {
      const r = await ctx.platform.store.getResource<QuotaRequestDoc>(QUOTA_REQUEST_KIND, input.RequestId);
      if (!r) throw noSuchRequest(input.RequestId);
      return { RequestedQuota: toRequestedChange(r.id, r.doc, ctx.platform.config) };
    },
    ListRequestedServiceQuotaChangeHistory: history(false),
    ListRequestedServiceQuotaChangeHistoryByQuota: history(true),
  };
}
