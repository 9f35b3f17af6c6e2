import { sagemakerArn } from '../../core/arn.js';
import { AlreadyExistsError } from '../../core/errors.js';
import type { CreateEndpointInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, endpointConfigNotFound, type EndpointConfigDoc } from './endpoint-configs-doc.js';
import { ENDPOINT_KIND, endpointExists, type EndpointDoc, type VariantIntent, type VariantSummaryDoc } from './endpoints-doc.js';
import { checkEndpointQuota, countByType } from './endpoints-quota.js';
import { fleetOf } from './endpoints-fleet.js';
import { MODEL_KIND, servingContainer, type ModelDoc } from './models-doc.js';
import { addTags } from './tags-records.js';
import { findByArn } from './tags-resource.js';

/** The variants' intent as an endpoint configuration states it (InitialVariantWeight, InitialInstanceCount). */
export const intentOf = (config: EndpointConfigDoc): Record<string, VariantIntent> =>
  Object.fromEntries(config.ProductionVariants.map((v) => [v.VariantName, { weight: v.InitialVariantWeight, count: v.InitialInstanceCount }]));

/** Variant summaries of a fleet being created: nothing runs yet. */
export async function pendingVariants(ctx: Parameters<OperationHandler>[1], config: EndpointConfigDoc, now: number): Promise<VariantSummaryDoc[]> {
  const out: VariantSummaryDoc[] = [];
  for (const v of config.ProductionVariants) {
    const model = await ctx.platform.store.getResource<ModelDoc>(MODEL_KIND, v.ModelName);
    const image = (model && servingContainer(model.doc)?.Image) ?? '';
    out.push({
      VariantName: v.VariantName,
      DeployedImages: image ? [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: now }] : [],
      CurrentWeight: 0,
      DesiredWeight: v.InitialVariantWeight,
      CurrentInstanceCount: 0,
      DesiredInstanceCount: v.InitialInstanceCount,
      VariantStatus: [{ Status: 'Creating', StatusMessage: 'Starting instances', StartTime: now }],
    });
  }
  return out;
}

/**
 * CreateEndpoint records intent (status Creating, the configuration's variants as desired state)
 * after the endpoint-usage quotas; the hosting controller starts the instances.
 */
export const createEndpoint: OperationHandler<CreateEndpointInput> = async (input, ctx) => {
  const { config, store } = ctx.platform;
  const arn = sagemakerArn(config, 'endpoint', input.EndpointName);
  if (await findByArn(ctx.platform, arn)) throw endpointExists(arn);
  const cfg = await store.getResource<EndpointConfigDoc>(ENDPOINT_CONFIG_KIND, input.EndpointConfigName);
  if (!cfg) throw endpointConfigNotFound(input.EndpointConfigName);
  await checkEndpointQuota(store, countByType(cfg.doc.ProductionVariants.map((v) => ({ type: v.InstanceType, count: v.InitialInstanceCount }))), config.quotas);
  const fleet = await fleetOf(store, config, cfg.doc);
  const now = ctx.platform.now();
  const doc: EndpointDoc = {
    EndpointName: input.EndpointName,
    EndpointArn: arn,
    EndpointConfigName: input.EndpointConfigName,
    EndpointStatus: 'Creating',
    CreationTime: now,
    LastModifiedTime: now,
    ProductionVariants: await pendingVariants(ctx, cfg.doc, now),
    DataCaptureConfig: cfg.doc.DataCaptureConfig,
    AsyncInferenceConfig: cfg.doc.AsyncInferenceConfig,
    LastDeploymentConfig: input.DeploymentConfig,
    _clary: { desiredConfig: input.EndpointConfigName, desired: intentOf(cfg.doc), fleets: { [input.EndpointConfigName]: fleet }, instances: [] },
  };
  if (!doc.DataCaptureConfig) delete doc.DataCaptureConfig;
  if (!doc.AsyncInferenceConfig) delete doc.AsyncInferenceConfig;
  if (!doc.LastDeploymentConfig) delete doc.LastDeploymentConfig;
  try {
    await store.createResource<EndpointDoc>({ kind: ENDPOINT_KIND, id: input.EndpointName, name: input.EndpointName, arn, parent: null, status: 'Creating', creationTime: now, lastModifiedTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw endpointExists(arn);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  ctx.log.info({ endpoint: input.EndpointName, config: input.EndpointConfigName }, 'endpoint created');
  ctx.platform.changed(ENDPOINT_KIND);
  return { EndpointArn: arn };
};
