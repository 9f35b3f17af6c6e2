import { listInstanceTypes } from '../catalog/index.js';
import { DEFAULT_QUOTA_DEFAULTS, isAccelerated, type QuotaDefaults } from './quota-defaults.js';
import { AGGREGATE_NAMES, CATALOG_WORKLOAD, perTypeQuotaName, QUOTA_WORKLOADS, quotaCode, type QuotaWorkload } from './quota-names.js';

/** One SageMaker quota Clary enforces. */
export interface QuotaDefinition {
  readonly code: string;
  readonly name: string;
  readonly workload: QuotaWorkload;
  /** null for an aggregate ("across all …") quota. */
  readonly instanceType: string | null;
  readonly defaultValue: number;
}

export interface QuotaTable {
  /** Sorted by name (stable pagination). */
  readonly all: readonly QuotaDefinition[];
  readonly byCode: ReadonlyMap<string, QuotaDefinition>;
  readonly byName: ReadonlyMap<string, QuotaDefinition>;
  perType(workload: QuotaWorkload, instanceType: string): QuotaDefinition | undefined;
  aggregate(workload: QuotaWorkload): QuotaDefinition | undefined;
}

const tables = new WeakMap<QuotaDefaults, QuotaTable>();

/** Every quota: one per (workload, ml.* type in the workload's enum), plus the aggregates. Built once per defaults object. */
export function quotaTable(defaults: QuotaDefaults = DEFAULT_QUOTA_DEFAULTS): QuotaTable {
  const cached = tables.get(defaults);
  if (cached) return cached;
  const all: QuotaDefinition[] = [];
  const perTypeKey = new Map<string, QuotaDefinition>();
  const aggregates = new Map<QuotaWorkload, QuotaDefinition>();
  for (const workload of QUOTA_WORKLOADS) {
    for (const t of listInstanceTypes({ workload: CATALOG_WORKLOAD[workload] })) {
      const name = perTypeQuotaName(workload, t.name);
      const def = { code: quotaCode(name), name, workload, instanceType: t.name, defaultValue: isAccelerated(t.name) ? defaults.acceleratedPerType : defaults.cpuPerType };
      all.push(def);
      perTypeKey.set(`${workload} ${t.name}`, def);
    }
    const aggName = AGGREGATE_NAMES[workload];
    if (aggName) {
      const def = { code: quotaCode(aggName), name: aggName, workload, instanceType: null, defaultValue: defaults.aggregate };
      all.push(def);
      aggregates.set(workload, def);
    }
  }
  all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byCode = new Map(all.map((d) => [d.code, d]));
  if (byCode.size !== all.length) throw new Error('quota code collision: two quota names hash to the same code');
  const table: QuotaTable = {
    all,
    byCode,
    byName: new Map(all.map((d) => [d.name, d])),
    perType: (w, type) => perTypeKey.get(`${w} ${type}`),
    aggregate: (w) => aggregates.get(w),
  };
  tables.set(defaults, table);
  return table;
}

/** A quota by code ("L-1A2B3C4D", case-insensitive) or exact name. */
export function findQuota(table: QuotaTable, nameOrCode: string): QuotaDefinition | undefined {
  return table.byCode.get(nameOrCode.trim().toUpperCase()) ?? table.byName.get(nameOrCode.trim());
}
