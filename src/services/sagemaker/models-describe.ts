import { sagemakerArn } from '../../core/arn.js';
import type { DescribeModelInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { MODEL_KIND, modelNotFound, toDescribeModel, type ModelDoc } from './models-doc.js';

/** DescribeModel: the stored model; a missing one is SageMaker's ValidationException naming its ARN. */
export const describeModel: OperationHandler<DescribeModelInput> = async (input, ctx) => {
  const record = await ctx.platform.store.getResource<ModelDoc>(MODEL_KIND, input.ModelName);
  if (!record) throw modelNotFound(sagemakerArn(ctx.platform.config, 'model', input.ModelName));
  return toDescribeModel(record.doc);
};
