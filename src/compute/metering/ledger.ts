import { randomUUID } from 'node:crypto';
import { validationException } from '../../core/errors.js';
import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import { isQuotaWorkload, type QuotaWorkload } from '../quotas/quota-names.js';
import { ALLOCATION_KIND, allocationParent, type Allocation, type AllocationDoc, type AllocationOwner } from './allocation.js';

/**
 * The metering ledger: one store record per allocation, written at start and at end only, so
 * metering costs two small writes per allocation whatever its length.
 */
export interface StartAllocation {
  /** Give a deterministic id (e.g. "<job arn>#<attempt>") to make a repeated start a no-op. */
  readonly id?: string;
  readonly workload: QuotaWorkload;
  readonly instanceType: string;
  readonly count: number;
  readonly region: string;
  readonly owner: AllocationOwner;
  readonly startTime: number;
}

const toAllocation = (r: ResourceRecord<AllocationDoc>): Allocation => ({ ...r.doc, id: r.id });

/** Records the start of an allocation. A start with an id that already exists returns that record unchanged. */
export async function startAllocation(store: MetadataStore, a: StartAllocation): Promise<Allocation> {
  if (!isQuotaWorkload(a.workload)) throw validationException(`unknown workload "${String(a.workload)}"`);
  if (!Number.isInteger(a.count) || a.count < 1) throw validationException(`instance count must be a positive integer (got ${String(a.count)})`);
  if (!Number.isSafeInteger(a.startTime) || a.startTime < 0) throw validationException('startTime must be epoch milliseconds');
  const id = a.id ?? randomUUID();
  if (a.id !== undefined) {
    const existing = await store.getResource<AllocationDoc>(ALLOCATION_KIND, id);
    if (existing) return toAllocation(existing);
  }
  const doc: AllocationDoc = {
    workload: a.workload,
    instanceType: a.instanceType,
    count: a.count,
    region: a.region,
    owner: a.owner,
    startTime: a.startTime,
    endTime: null,
  };
  try {
    const rec = await store.createResource<AllocationDoc>({
      kind: ALLOCATION_KIND,
      id,
      name: a.owner.jobName ?? a.owner.spaceName ?? id,
      arn: a.owner.resourceArn ?? '',
      parent: allocationParent(a.workload, a.instanceType),
      status: 'open',
      creationTime: a.startTime,
      lastModifiedTime: a.startTime,
      doc,
    });
    return toAllocation(rec);
  } catch (e) {
    if (e instanceof Error && e.name === 'AlreadyExistsError') {
      const existing = await store.getResource<AllocationDoc>(ALLOCATION_KIND, id);
      if (existing) return toAllocation(existing);
    }
    throw e;
  }
}

export async function getAllocation(store: MetadataStore, id: string): Promise<Allocation | undefined> {
  const r = await store.getResource<AllocationDoc>(ALLOCATION_KIND, id);
  return r ? toAllocation(r) : undefined;
}

/**
 * Sets the end time, once: ending an allocation that has already ended returns it unchanged (the
 * first end time stands). An end before the start is taken as the start. Undefined when unknown.
 */
export async function endAllocation(store: MetadataStore, id: string, endTime: number, reason?: string): Promise<Allocation | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const rec = await store.getResource<AllocationDoc>(ALLOCATION_KIND, id);
    if (!rec) return undefined;
    if (rec.doc.endTime !== null) return toAllocation(rec);
    const end = Math.max(rec.doc.startTime, Math.trunc(endTime));
    const doc: AllocationDoc = { ...rec.doc, endTime: end, ...(reason !== undefined ? { endReason: reason } : {}) };
    try {
      const updated = await store.updateResource<AllocationDoc>(ALLOCATION_KIND, id, rec.version, { doc, status: 'closed', lastModifiedTime: end });
      if (updated) return toAllocation(updated);
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'StaleVersionError') throw e;
      // someone else changed it (most likely ended it): read again
    }
  }
  throw new Error(`allocation ${id} kept changing concurrently`);
}

export interface AllocationFilter {
  readonly workload?: QuotaWorkload;
  readonly instanceType?: string;
  /** Only these allocation ids. */
  readonly ids?: readonly string[];
  readonly where?: (a: Allocation) => boolean;
}

/** Allocations still open, optionally filtered. */
export async function listOpenAllocations(store: MetadataStore, filter: AllocationFilter = {}): Promise<Allocation[]> {
  const parent = filter.workload && filter.instanceType ? allocationParent(filter.workload, filter.instanceType) : undefined;
  const ids = filter.ids ? new Set(filter.ids) : undefined;
  const out: Allocation[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listResources<AllocationDoc>({ kind: ALLOCATION_KIND, statusEquals: 'open', parent, sortOrder: 'asc', limit: 1000, cursor });
    for (const r of page.items) {
      const a = toAllocation(r);
      if (filter.workload && a.workload !== filter.workload) continue;
      if (filter.instanceType && a.instanceType !== filter.instanceType) continue;
      if (ids && !ids.has(a.id)) continue;
      if (filter.where && !filter.where(a)) continue;
      out.push(a);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/** Instances of a workload (and type, when given) allocated right now. */
export async function activeUtilization(store: MetadataStore, workload: QuotaWorkload, instanceType?: string): Promise<number> {
  const open = await listOpenAllocations(store, { workload, instanceType });
  return open.reduce((n, a) => n + a.count, 0);
}

/**
 * After a restart, the controller closes what it will not reattach to, at the moment it detected
 * the failure. Each matching allocation is ended once (endAllocation's rule); returns those closed.
 */
export async function closeOpenAllocations(store: MetadataStore, filter: AllocationFilter, endTime: number, reason = 'Clary restarted: work lost'): Promise<Allocation[]> {
  const closed: Allocation[] = [];
  for (const a of await listOpenAllocations(store, filter)) {
    const ended = await endAllocation(store, a.id, endTime, reason);
    if (ended) closed.push(ended);
  }
  return closed;
}
