import type { ListTransformJobsRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { TRANSFORM_JOB_KIND, type TransformJobDoc } from './transform-jobs-doc.js';

/**
 * ListTransformJobs: NameContains, StatusEquals and the time windows are store filters; SortBy
 * Name | CreationTime | Status, default CreationTime Descending; default page 10.
 */
export const listTransformJobs: OperationHandler<ListTransformJobsRequest> = async (input, ctx) => {
  const query = toListQuery(TRANSFORM_JOB_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Descending' });
  const page = await ctx.platform.store.listResources<TransformJobDoc>(query);
  return {
    TransformJobSummaries: page.items.map(({ doc, creationTime, lastModifiedTime }) => ({
      TransformJobName: doc.TransformJobName,
      TransformJobArn: doc.TransformJobArn,
      CreationTime: new Date(creationTime),
      TransformEndTime: doc.TransformEndTime === undefined ? undefined : new Date(doc.TransformEndTime),
      LastModifiedTime: new Date(lastModifiedTime),
      TransformJobStatus: doc.TransformJobStatus,
      FailureReason: doc.FailureReason,
    })),
    NextToken: page.nextCursor,
  };
};
