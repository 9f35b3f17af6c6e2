import type { DescribeEndpointInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_KIND, endpointNotFound, toDescribeEndpoint, type EndpointDoc } from './endpoints-doc.js';

/** DescribeEndpoint: status and variants as the controller last recorded them; missing → ValidationException (the waiters rely on it). */
export const describeEndpoint: OperationHandler<DescribeEndpointInput> = async (input, ctx) => {
  const record = await ctx.platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, input.EndpointName);
  if (!record) throw endpointNotFound(input.EndpointName);
  return toDescribeEndpoint(record.doc, record.lastModifiedTime);
};
