import { checkQuota, type QuotaDefaults } from '../../compute/quotas/index.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * The "ml.X for endpoint usage" quotas (and the aggregate across endpoints), checked when an
 * endpoint asks for instances: `add` maps instance type → instances the request adds.
 */
export async function checkEndpointQuota(store: MetadataStore, add: ReadonlyMap<string, number>, defaults: QuotaDefaults): Promise<void> {
  for (const [instanceType, delta] of add) {
    if (delta > 0) await checkQuota(store, { workload: 'hosting', instanceType, delta, defaults });
  }
}

/** Instances per type that a list of (type, count) pairs adds up to. */
export function countByType(items: Iterable<{ type: string; count: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const { type, count } of items) out.set(type, (out.get(type) ?? 0) + count);
  return out;
}
