import { sagemakerArn } from '../../core/arn.js';
import { AlreadyExistsError } from '../../core/errors.js';
import { assertAvailableIn, assertInstanceTypeFor } from '../../compute/catalog/index.js';
import { checkQuota } from '../../compute/quotas/index.js';
import type { CreateTransformJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { MODEL_KIND, modelNotFound } from './models-doc.js';
import { addTags } from './tags-records.js';
import { findByArn } from './tags-resource.js';
import { TRANSFORM_JOB_KIND, transformJobInUse, type TransformJobDoc } from './transform-jobs-doc.js';
import { transformInstancesInUse } from './transform-jobs-usage.js';
import { validateCreateTransformJob } from './transform-jobs-validate.js';

let creating: Promise<unknown> = Promise.resolve();
/** Quota check and insert one at a time, so two creates cannot both pass a check meant for one. */
function oneAtATime<T>(f: () => Promise<T>): Promise<T> {
  const next = creating.then(f, f);
  creating = next.catch(() => undefined);
  return next;
}

/**
 * CreateTransformJob records intent: it checks the request (Clary's rules, the model, instance
 * type, region, the "ml.X for transform job usage" quota), stores the job InProgress with its
 * tags, and answers the ARN. The transform controller does the work.
 */
export const createTransformJob: OperationHandler<CreateTransformJobRequest> = async (input, ctx) => {
  validateCreateTransformJob(input);
  const { config, store } = ctx.platform;
  const { InstanceType: instanceType, InstanceCount: count } = input.TransformResources;
  assertInstanceTypeFor('transform', instanceType, 'transformResources.instanceType');
  assertAvailableIn('transform', instanceType, config.region);
  if (!(await store.getResource(MODEL_KIND, input.ModelName))) throw modelNotFound(sagemakerArn(config, 'model', input.ModelName));

  const arn = sagemakerArn(config, 'transform-job', input.TransformJobName);
  if (await findByArn(ctx.platform, arn)) throw transformJobInUse(arn);
  const doc = await oneAtATime(async () => {
    const inUse = await transformInstancesInUse(store, instanceType);
    await checkQuota(store, { workload: 'transform', instanceType, delta: count, defaults: config.quotas, currentUtilization: inUse.perType, aggregateUtilization: inUse.aggregate });
    const now = ctx.platform.now();
    const d = buildDoc(input, arn, now);
    try {
      await store.createResource<TransformJobDoc>({ kind: TRANSFORM_JOB_KIND, id: d.TransformJobName, name: d.TransformJobName, arn, parent: null, status: d.TransformJobStatus, creationTime: now, lastModifiedTime: now, doc: d });
    } catch (e) {
      if (e instanceof AlreadyExistsError) throw transformJobInUse(arn);
      throw e;
    }
    return d;
  });
  if (input.Tags?.length) await addTags(store, arn, input.Tags, doc.CreationTime);
  ctx.log.info({ transformJob: doc.TransformJobName, model: doc.ModelName, instanceType, count }, 'transform job created');
  ctx.platform.changed(TRANSFORM_JOB_KIND);
  return { TransformJobArn: arn };
};

function buildDoc(req: CreateTransformJobRequest, arn: string, now: number): TransformJobDoc {
  const doc: TransformJobDoc = {
    TransformJobName: req.TransformJobName,
    TransformJobArn: arn,
    TransformJobStatus: 'InProgress',
    ModelName: req.ModelName,
    MaxConcurrentTransforms: req.MaxConcurrentTransforms,
    ModelClientConfig: req.ModelClientConfig,
    MaxPayloadInMB: req.MaxPayloadInMB,
    BatchStrategy: req.BatchStrategy as TransformJobDoc['BatchStrategy'],
    Environment: req.Environment,
    TransformInput: req.TransformInput,
    TransformOutput: req.TransformOutput,
    DataCaptureConfig: req.DataCaptureConfig,
    TransformResources: req.TransformResources,
    CreationTime: now,
    DataProcessing: req.DataProcessing,
    ExperimentConfig: req.ExperimentConfig,
  };
  for (const k of Object.keys(doc) as (keyof TransformJobDoc)[]) if (doc[k] === undefined) delete doc[k];
  return doc;
}
