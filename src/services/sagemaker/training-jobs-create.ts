import { sagemakerArn } from '../../core/arn.js';
import { AlreadyExistsError } from '../../core/errors.js';
import { assertAvailableIn, assertInstanceTypeFor } from '../../compute/catalog/index.js';
import { checkBudget } from '../../compute/metering/index.js';
import { checkQuota } from '../../compute/quotas/index.js';
import type { CreateTrainingJobRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler, RequestContext } from '../service.js';
import { addTags } from './tags-records.js';
import { findByArn } from './tags-resource.js';
import { TRAINING_JOB_KIND, trainingJobInUse, type TrainingJobDoc, type TrainingJobOwner } from './training-jobs-doc.js';
import { ownerFromTags } from './training-jobs-owner.js';
import { oneCreateAtATime, trainingInstancesInUse } from './training-jobs-utilization.js';
import { validateCreateTrainingJob, type ValidTrainingJobRequest } from './training-jobs-validate.js';

/** SageMaker's defaults for members a request may leave out. */
export const DEFAULT_MAX_RUNTIME_SECONDS = 86_400;
/** The SageMaker Python SDK's default volume (the API has none since VolumeSizeInGB became optional). */
export const DEFAULT_VOLUME_SIZE_GB = 30;

/**
 * CreateTrainingJob records intent: it checks the request (model, then Clary's rules, instance
 * type, region, quotas, budget), stores the job InProgress/Starting and its tags, and answers
 * the ARN. The training controller picks the job up from the store and does the work.
 */
export const createTrainingJob: OperationHandler<CreateTrainingJobRequest> = async (input, ctx) => {
  const req = validateCreateTrainingJob(input);
  const { config, store } = ctx.platform;
  const { InstanceType: instanceType, InstanceCount: count } = req.ResourceConfig;
  assertInstanceTypeFor('training', instanceType, 'resourceConfig.instanceType');
  assertAvailableIn('training', instanceType, config.region);

  const arn = sagemakerArn(config, 'training-job', req.TrainingJobName);
  // The ARN lower-cases the name, so "MyJob" and "myjob" would share one: SageMaker treats that as the same name.
  if (await findByArn(ctx.platform, arn)) throw trainingJobInUse(arn);

  const owner = ownerFromTags(req.Tags);
  const doc = await oneCreateAtATime(async () => {
    // SageMaker counts every InProgress job's instances, placed or still waiting for capacity.
    const inUse = await trainingInstancesInUse(store, instanceType);
    await checkQuota(store, { workload: 'training', instanceType, delta: count, defaults: config.quotas, currentUtilization: inUse.perType, aggregateUtilization: inUse.aggregate });
    const now = ctx.platform.now();
    if (owner) await checkBudget(store, owner, now, { region: config.region });
    return insertJob(ctx, req, arn, now, owner);
  });
  if (req.Tags?.length) await addTags(store, arn, req.Tags, doc.CreationTime);
  logCreated(ctx, doc);
  ctx.platform.changed(TRAINING_JOB_KIND);
  return { TrainingJobArn: arn };
};

async function insertJob(ctx: RequestContext, req: ValidTrainingJobRequest, arn: string, now: number, owner: TrainingJobOwner | undefined): Promise<TrainingJobDoc> {
  const { store } = ctx.platform;
  const doc = buildDoc(req, arn, now, owner);
  try {
    await store.createResource<TrainingJobDoc>({
      kind: TRAINING_JOB_KIND,
      id: req.TrainingJobName,
      name: req.TrainingJobName,
      arn,
      parent: null,
      status: doc.TrainingJobStatus,
      creationTime: now,
      lastModifiedTime: now,
      doc,
    });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw trainingJobInUse(arn);
    throw e;
  }
  return doc;
}

/** The job as DescribeTrainingJob will show it before the controller has touched it. */
export function buildDoc(req: ValidTrainingJobRequest, arn: string, now: number, owner: TrainingJobOwner | undefined): TrainingJobDoc {
  const output = req.OutputDataConfig.S3OutputPath.replace(/\/+$/, '');
  const doc: TrainingJobDoc = {
    TrainingJobName: req.TrainingJobName,
    TrainingJobArn: arn,
    TrainingJobStatus: 'InProgress',
    SecondaryStatus: 'Starting',
    SecondaryStatusTransitions: [{ Status: 'Starting', StartTime: now, StatusMessage: 'Starting the training job' }],
    ModelArtifacts: { S3ModelArtifacts: `${output}/${req.TrainingJobName}/output/model.tar.gz` },
    StoppingCondition: { ...req.StoppingCondition, MaxRuntimeInSeconds: req.StoppingCondition.MaxRuntimeInSeconds ?? DEFAULT_MAX_RUNTIME_SECONDS },
    CreationTime: now,
    LastModifiedTime: now,
    AlgorithmSpecification: { ...req.AlgorithmSpecification },
    RoleArn: req.RoleArn,
    HyperParameters: req.HyperParameters,
    InputDataConfig: req.InputDataConfig?.map((c) => ({ ...c })),
    OutputDataConfig: { ...req.OutputDataConfig },
    ResourceConfig: { ...req.ResourceConfig, VolumeSizeInGB: req.ResourceConfig.VolumeSizeInGB ?? DEFAULT_VOLUME_SIZE_GB },
    VpcConfig: req.VpcConfig,
    EnableNetworkIsolation: req.EnableNetworkIsolation ?? false,
    EnableInterContainerTrafficEncryption: req.EnableInterContainerTrafficEncryption ?? false,
    EnableManagedSpotTraining: req.EnableManagedSpotTraining ?? false,
    CheckpointConfig: req.CheckpointConfig,
    Environment: req.Environment,
    RetryStrategy: req.RetryStrategy,
    ExperimentConfig: req.ExperimentConfig,
  };
  if (owner) doc._clary = { owner };
  for (const k of Object.keys(doc) as (keyof TrainingJobDoc)[]) if (doc[k] === undefined) delete doc[k];
  return doc;
}

function logCreated(ctx: RequestContext, doc: TrainingJobDoc): void {
  ctx.log.info({ trainingJob: doc.TrainingJobName, instanceType: doc.ResourceConfig?.InstanceType, count: doc.ResourceConfig?.InstanceCount }, 'training job created');
}
