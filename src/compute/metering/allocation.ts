import type { QuotaWorkload } from '../quotas/quota-names.js';

/** Resource kind of the metering ledger's records. */
export const ALLOCATION_KIND = 'allocation';

export type AllocationStatus = 'open' | 'closed';

/** Who an allocation is billed to. */
export interface AllocationOwner {
  readonly accountId: string;
  readonly domainId?: string;
  readonly userProfileName?: string;
  readonly spaceName?: string;
  /** ARN of the training job, endpoint, app … the instances serve. */
  readonly resourceArn?: string;
  /** Job, endpoint or app name, the "job" key of cost reports. */
  readonly jobName?: string;
}

/**
 * One allocation of `count` instances of one type to one piece of work: written once when it
 * starts and once when it ends (endTime set exactly once), never in between.
 */
export interface AllocationDoc {
  readonly workload: QuotaWorkload;
  readonly instanceType: string;
  readonly count: number;
  readonly region: string;
  readonly owner: AllocationOwner;
  /** Epoch ms. */
  readonly startTime: number;
  /** Epoch ms; null while the instances are allocated. */
  readonly endTime: number | null;
  /** Why it ended ("Completed", "Stopped", "Clary restarted: job lost", …). */
  readonly endReason?: string;
}

export interface Allocation extends AllocationDoc {
  readonly id: string;
}

/** The store's parent column: lets utilization be counted per (workload, type) by an indexed query. */
export const allocationParent = (workload: string, instanceType: string): string => `${workload}/${instanceType}`;
