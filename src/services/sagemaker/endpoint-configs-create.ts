import { sagemakerArn } from '../../core/arn.js';
import { AlreadyExistsError } from '../../core/errors.js';
import type { CreateEndpointConfigInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, endpointConfigExists, type EndpointConfigDoc } from './endpoint-configs-doc.js';
import { validateCreateEndpointConfig } from './endpoint-configs-validate.js';
import { addTags } from './tags-records.js';
import { findByArn } from './tags-resource.js';

/** CreateEndpointConfig: an immutable record of variants (model, instance type and count, weight). */
export const createEndpointConfig: OperationHandler<CreateEndpointConfigInput> = async (input, ctx) => {
  const { config, store } = ctx.platform;
  const arn = sagemakerArn(config, 'endpoint-config', input.EndpointConfigName);
  if (await findByArn(ctx.platform, arn)) throw endpointConfigExists(arn);
  const variants = await validateCreateEndpointConfig(input, store, config);
  const now = ctx.platform.now();
  const doc: EndpointConfigDoc = {
    EndpointConfigName: input.EndpointConfigName,
    EndpointConfigArn: arn,
    ProductionVariants: variants,
    DataCaptureConfig: input.DataCaptureConfig,
    AsyncInferenceConfig: input.AsyncInferenceConfig,
    KmsKeyId: input.KmsKeyId,
    ExecutionRoleArn: input.ExecutionRoleArn,
    VpcConfig: input.VpcConfig,
    EnableNetworkIsolation: input.EnableNetworkIsolation,
    CreationTime: now,
  };
  for (const k of Object.keys(doc) as (keyof EndpointConfigDoc)[]) if (doc[k] === undefined) delete doc[k];
  try {
    await store.createResource<EndpointConfigDoc>({ kind: ENDPOINT_CONFIG_KIND, id: input.EndpointConfigName, name: input.EndpointConfigName, arn, parent: null, status: null, creationTime: now, lastModifiedTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw endpointConfigExists(arn);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  return { EndpointConfigArn: arn };
};
