import { sagemakerArn } from '../../core/arn.js';
import { AlreadyExistsError } from '../../core/errors.js';
import type { CreateModelInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { MODEL_KIND, modelExists, type ModelDoc } from './models-doc.js';
import { validateCreateModel } from './models-validate.js';
import { addTags } from './tags-records.js';
import { findByArn } from './tags-resource.js';

/** CreateModel: a model is a record (image, model data, environment); nothing runs until an endpoint uses it. */
export const createModel: OperationHandler<CreateModelInput> = async (input, ctx) => {
  validateCreateModel(input);
  const { config, store } = ctx.platform;
  const arn = sagemakerArn(config, 'model', input.ModelName);
  if (await findByArn(ctx.platform, arn)) throw modelExists(arn);
  const now = ctx.platform.now();
  const doc: ModelDoc = {
    ModelName: input.ModelName,
    ModelArn: arn,
    PrimaryContainer: input.PrimaryContainer,
    Containers: input.Containers,
    InferenceExecutionConfig: input.InferenceExecutionConfig,
    ExecutionRoleArn: input.ExecutionRoleArn,
    VpcConfig: input.VpcConfig,
    EnableNetworkIsolation: input.EnableNetworkIsolation ?? false,
    CreationTime: now,
  };
  for (const k of Object.keys(doc) as (keyof ModelDoc)[]) if (doc[k] === undefined) delete doc[k];
  try {
    await store.createResource<ModelDoc>({ kind: MODEL_KIND, id: input.ModelName, name: input.ModelName, arn, parent: null, status: null, creationTime: now, lastModifiedTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw modelExists(arn);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  return { ModelArn: arn };
};
