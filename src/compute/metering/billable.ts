import type { AllocationDoc } from './allocation.js';

/** A half-open time window [since, until) in epoch ms; either side may be open. */
export interface TimeWindow {
  readonly since?: number;
  readonly until?: number;
}

/**
 * Seconds one instance of the allocation was (or, while open, has been so far at `now`)
 * allocated inside the window. SageMaker bills per second: a started second counts whole.
 */
export function billableSeconds(a: Pick<AllocationDoc, 'startTime' | 'endTime'>, now: number, window: TimeWindow = {}): number {
  const start = Math.max(a.startTime, window.since ?? -Infinity);
  const end = Math.min(a.endTime ?? now, window.until ?? Infinity);
  return end > start ? Math.ceil((end - start) / 1000) : 0;
}

/** billableSeconds × the number of instances. */
export const instanceSeconds = (a: Pick<AllocationDoc, 'startTime' | 'endTime' | 'count'>, now: number, window: TimeWindow = {}): number =>
  a.count * billableSeconds(a, now, window);
