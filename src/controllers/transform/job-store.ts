import { StaleVersionError } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { TRANSFORM_JOB_KIND, type TransformJobDoc } from '../../services/sagemaker/transform-jobs-doc.js';

/** Updates a transform job's document with optimistic concurrency (re-run on StopTransformJob's change). */
export async function updateTransformJob(store: MetadataStore, name: string, mutate: (doc: TransformJobDoc) => TransformJobDoc | undefined, now: number): Promise<TransformJobDoc | undefined> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const rec = await store.getResource<TransformJobDoc>(TRANSFORM_JOB_KIND, name);
    if (!rec) return undefined;
    const next = mutate(structuredClone(rec.doc));
    if (!next) return rec.doc;
    try {
      const saved = await store.updateResource<TransformJobDoc>(TRANSFORM_JOB_KIND, name, rec.version, { doc: next, status: next.TransformJobStatus, lastModifiedTime: now });
      return saved?.doc;
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw new Error(`transform job ${name} kept changing; gave up updating it`);
}

/** Ends the job (unless it already ended): status, end time, failure reason. */
export function finishJob(doc: TransformJobDoc, status: 'Completed' | 'Failed' | 'Stopped', now: number, reason?: string): TransformJobDoc | undefined {
  if (doc.TransformJobStatus === 'Completed' || doc.TransformJobStatus === 'Failed' || doc.TransformJobStatus === 'Stopped') return undefined;
  doc.TransformJobStatus = status;
  doc.TransformEndTime = now;
  if (reason !== undefined) doc.FailureReason = reason.slice(0, 1024);
  return doc;
}
