import type { DescribeEndpointConfigInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, endpointConfigNotFound, toDescribeEndpointConfig, type EndpointConfigDoc } from './endpoint-configs-doc.js';

/** DescribeEndpointConfig: the stored configuration; a missing one is SageMaker's ValidationException. */
export const describeEndpointConfig: OperationHandler<DescribeEndpointConfigInput> = async (input, ctx) => {
  const record = await ctx.platform.store.getResource<EndpointConfigDoc>(ENDPOINT_CONFIG_KIND, input.EndpointConfigName);
  if (!record) throw endpointConfigNotFound(input.EndpointConfigName);
  return toDescribeEndpointConfig(record.doc);
};
