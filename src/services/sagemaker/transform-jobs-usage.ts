import type { MetadataStore } from '../../store/metadata-store.js';
import { TRANSFORM_JOB_KIND, type TransformJobDoc } from './transform-jobs-doc.js';

/**
 * Transform instances counted against the "ml.X for transform job usage" quotas: every
 * InProgress or Stopping job's InstanceCount, placed or still waiting for capacity.
 */
export async function transformInstancesInUse(store: MetadataStore, instanceType: string): Promise<{ perType: number; aggregate: number }> {
  let perType = 0;
  let aggregate = 0;
  for (const status of ['InProgress', 'Stopping']) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<TransformJobDoc>({ kind: TRANSFORM_JOB_KIND, statusEquals: status, limit: 500, cursor });
      for (const r of page.items) {
        const { InstanceType, InstanceCount } = r.doc.TransformResources;
        aggregate += InstanceCount;
        if (InstanceType === instanceType) perType += InstanceCount;
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return { perType, aggregate };
}
