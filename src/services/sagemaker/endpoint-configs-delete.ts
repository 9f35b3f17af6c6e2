import type { DeleteEndpointConfigInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, endpointConfigNotFound } from './endpoint-configs-doc.js';
import { dropTags } from './tags-records.js';

/** DeleteEndpointConfig: removes the record and its tags; endpoints created from it keep running (as on SageMaker). */
export const deleteEndpointConfig: OperationHandler<DeleteEndpointConfigInput> = async (input, ctx) => {
  const { store } = ctx.platform;
  const record = await store.getResource(ENDPOINT_CONFIG_KIND, input.EndpointConfigName);
  if (!record) throw endpointConfigNotFound(input.EndpointConfigName);
  await store.deleteResource(ENDPOINT_CONFIG_KIND, record.id);
  await dropTags(store, record.arn);
  return {};
};
