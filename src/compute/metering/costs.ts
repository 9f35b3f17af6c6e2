import { validationException } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { ALLOCATION_KIND, type Allocation, type AllocationDoc } from './allocation.js';
import { instanceSeconds } from './billable.js';
import { localUsdPerHour, NO_LOCAL_COST, sageMakerUsdPerHour, type LocalCostRate } from './cost-rates.js';

export const COST_KEYS = ['user', 'domain', 'job', 'type', 'workload'] as const;
export type CostKey = (typeof COST_KEYS)[number];

export interface CostQuery {
  readonly by: CostKey;
  /** Epoch ms, inclusive. */
  readonly since: number;
  /** Epoch ms, exclusive; default now. */
  readonly until?: number;
  /** Region whose SageMaker prices apply. */
  readonly region: string;
  /** Open allocations are counted up to this moment. */
  readonly now: number;
  readonly local?: LocalCostRate;
}

export interface CostRow {
  readonly key: string;
  readonly instanceSeconds: number;
  readonly sageMakerUsd: number;
  readonly localUsd: number;
}

export interface CostSummary {
  readonly rows: CostRow[];
  readonly total: CostRow;
}

/** The report's grouping key of one allocation. */
export function costKey(a: Allocation, by: CostKey): string {
  const o = a.owner;
  switch (by) {
    case 'user':
      return o.userProfileName ? `${o.domainId ?? '-'}/${o.userProfileName}` : '(no user)';
    case 'domain':
      return o.domainId ?? '(no domain)';
    case 'job':
      return o.jobName ?? o.spaceName ?? o.resourceArn ?? a.id;
    case 'type':
      return a.instanceType;
    case 'workload':
      return a.workload;
  }
}

/** Every allocation that overlaps [since, until): open ones that started before until, closed ones that ended after since. */
export async function allocationsOverlapping(store: MetadataStore, since: number, until: number): Promise<Allocation[]> {
  const out: Allocation[] = [];
  const queries = [
    { statusEquals: 'open', creationTimeBefore: until },
    { statusEquals: 'closed', creationTimeBefore: until, lastModifiedTimeAfter: since },
  ];
  for (const q of queries) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<AllocationDoc>({ kind: ALLOCATION_KIND, ...q, sortOrder: 'asc', limit: 1000, cursor });
      for (const r of page.items) out.push({ ...r.doc, id: r.id });
      cursor = page.nextCursor;
    } while (cursor);
  }
  return out;
}

const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;

/**
 * Instance-seconds and cost per key over a window, at SageMaker's list price and at this host's
 * own cost, most expensive first. Each allocation counts once, clipped to the window.
 */
export async function summarizeCosts(store: MetadataStore, q: CostQuery): Promise<CostSummary> {
  const until = q.until ?? q.now;
  if (!Number.isFinite(q.since) || !Number.isFinite(until)) throw validationException('since and until must be dates');
  if (until < q.since) throw validationException('until must not be before since');
  const local = q.local ?? NO_LOCAL_COST;
  const acc = new Map<string, { seconds: number; sm: number; local: number }>();
  for (const a of await allocationsOverlapping(store, q.since, until)) {
    const seconds = instanceSeconds(a, q.now, { since: q.since, until });
    if (seconds === 0) continue;
    const key = costKey(a, q.by);
    const row = acc.get(key) ?? { seconds: 0, sm: 0, local: 0 };
    row.seconds += seconds;
    row.sm += (seconds * sageMakerUsdPerHour(a.instanceType, q.region)) / 3600;
    row.local += (seconds * localUsdPerHour(a.instanceType, local)) / 3600;
    acc.set(key, row);
  }
  const rows: CostRow[] = [...acc].map(([key, r]) => ({ key, instanceSeconds: r.seconds, sageMakerUsd: round(r.sm), localUsd: round(r.local) }));
  rows.sort((a, b) => b.sageMakerUsd - a.sageMakerUsd || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = rows.reduce<CostRow>(
    (t, r) => ({ key: 'total', instanceSeconds: t.instanceSeconds + r.instanceSeconds, sageMakerUsd: round(t.sageMakerUsd + r.sageMakerUsd), localUsd: round(t.localUsd + r.localUsd) }),
    { key: 'total', instanceSeconds: 0, sageMakerUsd: 0, localUsd: 0 },
  );
  return { rows, total };
}
