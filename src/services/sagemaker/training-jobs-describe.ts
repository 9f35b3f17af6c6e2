import type { DescribeTrainingJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { toDescribeOutput, trainingJobNotFound, TRAINING_JOB_KIND, type TrainingJobDoc } from './training-jobs-doc.js';

/** DescribeTrainingJob: the stored document on the wire; a missing job is SageMaker's ValidationException. */
export const describeTrainingJob: OperationHandler<DescribeTrainingJobRequest> = async (input, ctx) => {
  const record = await ctx.platform.store.getResource<TrainingJobDoc>(TRAINING_JOB_KIND, input.TrainingJobName);
  if (!record) throw trainingJobNotFound();
  return toDescribeOutput(record.doc, record.lastModifiedTime);
};
