import { randomUUID } from 'node:crypto';
import { isServiceError } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import type { OperationHandler } from '../service.js';
import { invalidNextToken } from './errors.js';
import { maxResults } from './paging.js';
import { checkDimension, checkNamespace } from './resource-id.js';
import { ACTIVITY_KIND, SAGEMAKER_DIMENSION, targetId, type ScalingActivityDoc } from './shapes.js';

/** Records one scaling activity (the autoscaler's; DescribeScalingActivities lists them newest first). */
export async function recordActivity(store: MetadataStore, a: Omit<ScalingActivityDoc, 'ActivityId' | 'ServiceNamespace'>): Promise<ScalingActivityDoc> {
  const doc: ScalingActivityDoc = { ActivityId: randomUUID(), ServiceNamespace: 'sagemaker', ...a };
  await store.createResource({
    kind: ACTIVITY_KIND,
    id: doc.ActivityId,
    name: doc.ActivityId,
    arn: doc.ActivityId,
    parent: targetId(a.ResourceId, a.ScalableDimension),
    status: doc.StatusCode,
    creationTime: a.StartTime,
    doc,
  });
  return doc;
}

const activityOut = (d: ScalingActivityDoc) => ({
  ...d,
  StartTime: new Date(d.StartTime),
  ...(d.EndTime !== undefined ? { EndTime: new Date(d.EndTime) } : {}),
});

/**
 * DescribeScalingActivities: newest first, paged by the store's keyset cursor. Activities that
 * did not scale (NotScaledReasons) are shown only with IncludeNotScaledActivities.
 */
export const describeScalingActivities: OperationHandler<
  { ServiceNamespace: string; ResourceId?: string; ScalableDimension?: string; MaxResults?: number; NextToken?: string; IncludeNotScaledActivities?: boolean },
  object
> = async (input, ctx) => {
  checkNamespace(input.ServiceNamespace);
  checkDimension(input.ScalableDimension);
  const limit = maxResults(input.MaxResults);
  const parent = input.ResourceId !== undefined ? targetId(input.ResourceId, input.ScalableDimension ?? SAGEMAKER_DIMENSION) : undefined;
  const out: ScalingActivityDoc[] = [];
  let cursor = input.NextToken;
  let next: string | undefined;
  // Not-scaled activities are filtered after reading: keep reading until the page is full.
  for (;;) {
    let page;
    try {
      page = await ctx.platform.store.listResources<ScalingActivityDoc>({ kind: ACTIVITY_KIND, parent, sortBy: 'creationTime', sortOrder: 'desc', limit, cursor });
    } catch (e) {
      if (cursor !== undefined && isServiceError(e)) throw invalidNextToken();
      throw e;
    }
    for (const r of page.items) if (input.IncludeNotScaledActivities || !r.doc.NotScaledReasons?.length) out.push(r.doc);
    next = page.nextCursor;
    if (!next || out.length >= limit) break;
    cursor = next;
  }
  return { ScalingActivities: out.map(activityOut), ...(next ? { NextToken: next } : {}) };
};
