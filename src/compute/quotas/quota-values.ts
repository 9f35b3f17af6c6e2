import { validationException } from '../../core/errors.js';
import type { ArnScope } from '../../core/arn.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import type { QuotaDefinition } from './quota-definitions.js';

/**
 * Applied quota values. Only overrides are stored (resource kind "quota", id = quota code); a
 * quota without one has its default. Changing the defaults in config therefore moves every quota
 * nobody has set explicitly.
 */
export const QUOTA_KIND = 'quota';

export interface QuotaOverrideDoc {
  readonly value: number;
  /** Who set it: "cli", or the principal ARN of a RequestServiceQuotaIncrease. */
  readonly setBy: string;
}

export const quotaArn = (scope: ArnScope, code: string): string => `arn:aws:servicequotas:${scope.region}:${scope.accountId}:sagemaker/${code}`;

/** Parses a quota value given as text or number: a non-negative integer number of instances. */
export function parseQuotaValue(raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const value = text === '' ? NaN : Number(text);
  if (!Number.isFinite(value)) throw validationException(`Quota value "${String(raw)}" is not a number: give a whole number of instances, e.g. 4.`);
  if (value < 0) throw validationException(`Quota value ${text} is negative: give 0 or more instances.`);
  if (!Number.isInteger(value)) throw validationException(`Quota value ${text} is not a whole number of instances.`);
  if (value > 10_000_000_000) throw validationException(`Quota value ${text} is larger than Service Quotas allows (10000000000).`);
  return value;
}

export async function getOverride(store: MetadataStore, code: string): Promise<number | undefined> {
  return (await store.getResource<QuotaOverrideDoc>(QUOTA_KIND, code))?.doc.value;
}

/** The value in force for one quota. */
export async function appliedValue(store: MetadataStore, def: QuotaDefinition): Promise<number> {
  return (await getOverride(store, def.code)) ?? def.defaultValue;
}

/** Every stored override, code → value (one paged scan of kind "quota"). */
export async function listOverrides(store: MetadataStore): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await store.listResources<QuotaOverrideDoc>({ kind: QUOTA_KIND, sortBy: 'name', sortOrder: 'asc', limit: 1000, cursor });
    for (const r of page.items) out.set(r.id, r.doc.value);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Sets (creates or replaces) a quota's value; last writer wins. Returns the value stored. */
export async function setQuotaValue(store: MetadataStore, def: QuotaDefinition, rawValue: unknown, opts: { scope: ArnScope; setBy: string; now: number }): Promise<number> {
  const value = parseQuotaValue(rawValue);
  const doc: QuotaOverrideDoc = { value, setBy: opts.setBy };
  for (let attempt = 0; attempt < 5; attempt++) {
    const existing = await store.getResource<QuotaOverrideDoc>(QUOTA_KIND, def.code);
    try {
      if (existing) {
        if (await store.updateResource(QUOTA_KIND, def.code, existing.version, { doc, lastModifiedTime: opts.now })) return value;
      } else {
        await store.createResource({
          kind: QUOTA_KIND,
          id: def.code,
          name: def.name,
          arn: quotaArn(opts.scope, def.code),
          parent: def.workload,
          status: null,
          creationTime: opts.now,
          lastModifiedTime: opts.now,
          doc,
        });
        return value;
      }
    } catch (e) {
      if (!(e instanceof Error) || !['StaleVersionError', 'AlreadyExistsError'].includes(e.name)) throw e;
    }
  }
  throw new Error(`quota ${def.code} kept changing concurrently; try again`);
}
