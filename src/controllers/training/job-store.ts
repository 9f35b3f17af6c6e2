import { StaleVersionError } from '../../core/errors.js';
import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';

/**
 * Reads and writes a training job's document with optimistic concurrency: the mutation is re-run
 * on the fresh document when StopTrainingJob (or anything else) changed it in between.
 */
export async function readJob(store: MetadataStore, name: string): Promise<ResourceRecord<TrainingJobDoc> | undefined> {
  return store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, name);
}

export async function updateJob(
  store: MetadataStore,
  name: string,
  mutate: (doc: TrainingJobDoc) => TrainingJobDoc | undefined,
  now = Date.now(),
  /** Bookkeeping only (_clary): LastModifiedTime stays as it is. */
  keepTimes = false,
): Promise<TrainingJobDoc | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const rec = await readJob(store, name);
    if (!rec) return undefined;
    const next = mutate(structuredClone(rec.doc));
    if (!next) return rec.doc;
    if (!keepTimes) next.LastModifiedTime = now;
    try {
      const saved = await store.updateResource<TrainingJobDoc>(TRAINING_JOB_KIND, name, rec.version, {
        doc: next,
        status: next.TrainingJobStatus,
        lastModifiedTime: keepTimes ? rec.lastModifiedTime : now,
      });
      return saved?.doc;
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new Error(`training job ${name} kept changing; gave up updating it`);
}

/** Closes the current secondary status and opens the next (or updates its message), as SecondaryStatusTransitions records them. */
export function transition(doc: TrainingJobDoc, status: string, message: string, now: number): TrainingJobDoc {
  const list = doc.SecondaryStatusTransitions ?? [];
  const last = list[list.length - 1];
  // One entry per status, as SageMaker keeps them: a new message for the same status replaces the old.
  if (last && last.Status === status && last.EndTime === undefined) {
    last.StatusMessage = message;
    doc.SecondaryStatus = status;
    return doc;
  }
  if (last && last.EndTime === undefined) last.EndTime = now;
  list.push({ Status: status, StartTime: now, StatusMessage: message });
  doc.SecondaryStatusTransitions = list;
  doc.SecondaryStatus = status;
  return doc;
}

/** Ends the job: primary and secondary status, end time, training and billable seconds. */
export function finish(doc: TrainingJobDoc, outcome: { status: 'Completed' | 'Failed' | 'Stopped'; secondary: string; message: string; failureReason?: string }, now: number): TrainingJobDoc {
  transition(doc, outcome.secondary, outcome.message, now);
  const last = doc.SecondaryStatusTransitions[doc.SecondaryStatusTransitions.length - 1]!;
  last.EndTime = now;
  doc.TrainingJobStatus = outcome.status;
  if (outcome.failureReason !== undefined) doc.FailureReason = outcome.failureReason.slice(0, 1024);
  doc.TrainingEndTime = now;
  if (doc.TrainingStartTime !== undefined) {
    const seconds = Math.max(1, Math.ceil((now - doc.TrainingStartTime) / 1000));
    doc.TrainingTimeInSeconds = seconds;
    doc.BillableTimeInSeconds = seconds;
  }
  return doc;
}
