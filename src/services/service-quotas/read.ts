import type { OperationHandler } from '../service.js';
import { findQuota, listOverrides, appliedValue, quotaTable, type QuotaDefaults, type QuotaDefinition } from '../../compute/quotas/index.js';
import { noSuchQuota, noSuchService } from './errors.js';
import { SERVICE_CODE, toServiceQuota } from './shapes.js';
import { decodeOffset, encodeToken } from './tokens.js';

/** The read side: applied values (defaults plus stored overrides) and AWS defaults. */

const DEFAULT_PAGE = 100;

export function assertService(code: unknown): void {
  if (typeof code !== 'string' || code.toLowerCase() !== SERVICE_CODE) throw noSuchService();
}

/** The quota a request names; only exact codes match (the API takes codes, never names). */
export function quotaByCode(defaults: QuotaDefaults, code: string): QuotaDefinition {
  const def = quotaTable(defaults).byCode.get(code);
  if (!def) throw noSuchQuota(code);
  return def;
}

export function readHandlers(defaults: QuotaDefaults): Record<string, OperationHandler> {
  const list = (applied: boolean): OperationHandler => async (input, ctx) => {
    assertService(input.ServiceCode);
    if (input.QuotaAppliedAtLevel === 'RESOURCE') return { Quotas: [] };
    let defs: readonly QuotaDefinition[] = quotaTable(defaults).all;
    if (input.QuotaCode !== undefined) defs = [quotaByCode(defaults, input.QuotaCode)];
    const offset = decodeOffset(input.NextToken);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const page = defs.slice(offset, offset + limit);
    const overrides = applied ? await listOverrides(ctx.platform.store) : new Map<string, number>();
    return {
      Quotas: page.map((d) => toServiceQuota(d, overrides.get(d.code) ?? d.defaultValue, ctx.platform.config)),
      NextToken: offset + limit < defs.length ? encodeToken('q', offset + limit) : undefined,
    };
  };
  return {
    ListServiceQuotas: list(true),
    ListAWSDefaultServiceQuotas: list(false),
    GetServiceQuota: async (input, ctx) => {
      assertService(input.ServiceCode);
      const def = quotaByCode(defaults, input.QuotaCode);
      return { Quota: toServiceQuota(def, await appliedValue(ctx.platform.store, def), ctx.platform.config) };
    },
    GetAWSDefaultServiceQuota: async (input, ctx) => {
      assertService(input.ServiceCode);
      const def = quotaByCode(defaults, input.QuotaCode);
      return { Quota: toServiceQuota(def, def.defaultValue, ctx.platform.config) };
    },
  };
}

/** Name or code lookup for the CLI. */
export const lookupQuota = (defaults: QuotaDefaults, nameOrCode: string): QuotaDefinition | undefined => findQuota(quotaTable(defaults), nameOrCode);
