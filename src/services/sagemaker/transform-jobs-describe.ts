import type { DescribeTransformJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { toDescribeTransformJob, transformJobNotFound, TRANSFORM_JOB_KIND, type TransformJobDoc } from './transform-jobs-doc.js';

/** DescribeTransformJob: the stored document on the wire; a missing job is SageMaker's ValidationException. */
export const describeTransformJob: OperationHandler<DescribeTransformJobRequest> = async (input, ctx) => {
  const record = await ctx.platform.store.getResource<TransformJobDoc>(TRANSFORM_JOB_KIND, input.TransformJobName);
  if (!record) throw transformJobNotFound(input.TransformJobName);
  return toDescribeTransformJob(record.doc);
};
