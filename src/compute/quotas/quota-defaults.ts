import { getInstanceType } from '../catalog/index.js';

/**
 * Default quota values, like a new AWS account's: accelerated types (any type with accelerators
 * in the catalog) get 0, so nobody starts a GPU job by accident; CPU types and the aggregates a
 * generous but finite number. Overridable per installation (config) and per quota (store).
 */
export interface QuotaDefaults {
  /** Per instance type and workload, for types without accelerators. */
  readonly cpuPerType: number;
  /** Per instance type and workload, for types with accelerators (GPU, Inferentia, Trainium). */
  readonly acceleratedPerType: number;
  /** The "across all …" aggregate quotas. */
  readonly aggregate: number;
}

export const DEFAULT_QUOTA_DEFAULTS: QuotaDefaults = Object.freeze({ cpuPerType: 20, acceleratedPerType: 0, aggregate: 20 });

export const isAccelerated = (instanceType: string): boolean => (getInstanceType(instanceType)?.accelerator ?? null) !== null;

/** Checks a QuotaDefaults from config: every value a non-negative integer. */
export function validateQuotaDefaults(d: QuotaDefaults): QuotaDefaults {
  for (const [k, v] of Object.entries(d)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`quota default ${k} must be a non-negative integer (got ${String(v)})`);
  }
  return Object.freeze({ ...d });
}
