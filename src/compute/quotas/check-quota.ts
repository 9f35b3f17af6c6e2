import { validationException } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { activeUtilization } from '../metering/ledger.js';
import { DEFAULT_QUOTA_DEFAULTS, type QuotaDefaults } from './quota-defaults.js';
import { quotaTable } from './quota-definitions.js';
import { quotaExceeded } from './quota-exceeded.js';
import { isQuotaWorkload, type QuotaWorkload } from './quota-names.js';
import { appliedValue } from './quota-values.js';

export interface QuotaCheck {
  readonly workload: QuotaWorkload;
  readonly instanceType: string;
  /** Instances the request adds. */
  readonly delta: number;
  /** Instances of this type and workload in use; read from the metering ledger when omitted. */
  readonly currentUtilization?: number;
  /** Instances of this workload in use across all types; read from the ledger when omitted. */
  readonly aggregateUtilization?: number;
  readonly defaults?: QuotaDefaults;
}

/**
 * SageMaker's synchronous quota check on Create*: the per-type quota first, then the workload's
 * aggregate ("across all …"); the first that `utilization + delta` would exceed is thrown as
 * ResourceLimitExceeded with AWS's message. A type outside the workload's enum has no quota: the
 * caller's enum validation answers that first.
 */
export async function checkQuota(store: MetadataStore, q: QuotaCheck): Promise<void> {
  if (!isQuotaWorkload(q.workload)) throw validationException(`unknown workload "${String(q.workload)}"`);
  if (!Number.isInteger(q.delta) || q.delta < 0) throw validationException(`instance count must be a non-negative integer (got ${String(q.delta)})`);
  const table = quotaTable(q.defaults ?? DEFAULT_QUOTA_DEFAULTS);
  const perType = table.perType(q.workload, q.instanceType);
  if (perType) {
    const value = await appliedValue(store, perType);
    const used = q.currentUtilization ?? (await activeUtilization(store, q.workload, q.instanceType));
    if (used + q.delta > value) throw quotaExceeded(perType.name, value, used, q.delta);
  }
  const aggregate = table.aggregate(q.workload);
  if (aggregate) {
    const value = await appliedValue(store, aggregate);
    const used = q.aggregateUtilization ?? (await activeUtilization(store, q.workload));
    if (used + q.delta > value) throw quotaExceeded(aggregate.name, value, used, q.delta);
  }
}
