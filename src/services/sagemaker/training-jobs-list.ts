import type { OperationHandler } from '../service.js';
import { toListQuery, type ListInput } from './list-query.js';

/** The stored document of a training job: DescribeTrainingJob's response members. */
export interface TrainingJobDoc {
  TrainingJobName: string;
  TrainingJobArn: string;
  TrainingJobStatus: string;
  SecondaryStatus?: string;
  CreationTime: number;
  LastModifiedTime?: number;
  TrainingEndTime?: number;
  WarmPoolStatus?: unknown;
  TrainingPlanArn?: string;
}

export const listTrainingJobs: OperationHandler<ListInput & { WarmPoolStatusEquals?: string; TrainingPlanArnEquals?: string }> = async (input, ctx) => {
  const page = await ctx.platform.store.listResources<TrainingJobDoc>(
    toListQuery('training-job', input, { sortBy: 'CreationTime', sortOrder: 'Ascending' }),
  );
  return {
    TrainingJobSummaries: page.items.map(({ doc, creationTime, lastModifiedTime }) => ({
      TrainingJobName: doc.TrainingJobName,
      TrainingJobArn: doc.TrainingJobArn,
      CreationTime: new Date(creationTime),
      TrainingEndTime: doc.TrainingEndTime === undefined ? undefined : new Date(doc.TrainingEndTime),
      LastModifiedTime: new Date(lastModifiedTime),
      TrainingJobStatus: doc.TrainingJobStatus,
      SecondaryStatus: doc.SecondaryStatus,
      WarmPoolStatus: doc.WarmPoolStatus,
      TrainingPlanArn: doc.TrainingPlanArn,
    })),
    NextToken: page.nextCursor,
  };
};
