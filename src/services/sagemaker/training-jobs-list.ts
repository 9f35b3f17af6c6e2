import type { ListTrainingJobsRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { listMatching } from './training-jobs-list-matching.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from './training-jobs-doc.js';

export type { TrainingJobDoc } from './training-jobs-doc.js';

/**
 * ListTrainingJobs: NameContains, StatusEquals and the time windows are store filters;
 * WarmPoolStatusEquals and TrainingPlanArnEquals match members of the stored document.
 * Default order: CreationTime, Ascending; default page 10.
 */
export const listTrainingJobs: OperationHandler<ListTrainingJobsRequest> = async (input, ctx) => {
  const query = toListQuery(TRAINING_JOB_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Ascending' });
  const { WarmPoolStatusEquals: warmPool, TrainingPlanArnEquals: plan } = input;
  const matches =
    warmPool === undefined && plan === undefined
      ? undefined
      : (doc: TrainingJobDoc) =>
          (warmPool === undefined || doc.WarmPoolStatus?.Status === warmPool) &&
          (plan === undefined || planOf(doc) === plan);
  const page = await listMatching<TrainingJobDoc>(ctx.platform.store, query, matches);
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
      TrainingPlanArn: planOf(doc),
    })),
    NextToken: page.nextCursor,
  };
};

/** The training plan a job runs on: set by the controller, or asked for in ResourceConfig. */
const planOf = (doc: TrainingJobDoc): string | undefined =>
  doc.TrainingPlanArn ?? doc.ResourceConfig?.TrainingPlanArn;
