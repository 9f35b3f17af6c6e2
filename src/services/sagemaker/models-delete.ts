import { sagemakerArn } from '../../core/arn.js';
import type { DeleteModelInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { MODEL_KIND, modelNotFound, type ModelDoc } from './models-doc.js';
import { dropTags } from './tags-records.js';

/** DeleteModel: removes the record and its tags. Endpoints already running it keep serving (as on SageMaker). */
export const deleteModel: OperationHandler<DeleteModelInput> = async (input, ctx) => {
  const { store } = ctx.platform;
  const record = await store.getResource<ModelDoc>(MODEL_KIND, input.ModelName);
  if (!record) throw modelNotFound(sagemakerArn(ctx.platform.config, 'model', input.ModelName));
  await store.deleteResource(MODEL_KIND, record.id);
  await dropTags(store, record.arn);
  return {};
};
