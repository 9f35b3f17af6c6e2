import type { MetadataStore } from '../../store/metadata-store.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from './training-jobs-doc.js';

/**
 * The instances SageMaker's create-time quota check counts for training: those of every job that
 * is InProgress or Stopping, whether it already runs or still waits for capacity (the metering
 * ledger only knows placed ones). Per the requested type, and across all types.
 */
export async function trainingInstancesInUse(store: MetadataStore, instanceType: string): Promise<{ perType: number; aggregate: number }> {
  let perType = 0;
  let aggregate = 0;
  for (const status of ['InProgress', 'Stopping']) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<TrainingJobDoc>({ kind: TRAINING_JOB_KIND, statusEquals: status, limit: 1000, cursor });
      for (const rec of page.items) {
        const count = rec.doc.ResourceConfig?.InstanceCount ?? 1;
        aggregate += count;
        if (rec.doc.ResourceConfig?.InstanceType === instanceType) perType += count;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return { perType, aggregate };
}

/**
 * Runs CreateTrainingJob's check-then-insert one request at a time (in this Clary process), so that
 * requests arriving together cannot all pass the quota on the same count.
 */
let tail: Promise<unknown> = Promise.resolve();
export function oneCreateAtATime<T>(work: () => Promise<T>): Promise<T> {
  const run = tail.then(work, work);
  tail = run.catch(() => undefined);
  return run;
}
