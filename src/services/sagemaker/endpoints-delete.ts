import type { DeleteEndpointInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_KIND, endpointNotFound } from './endpoints-doc.js';
import { updateEndpoint } from './endpoints-store.js';

/**
 * DeleteEndpoint records the intent (status Deleting); the controller stops the instances, closes
 * their allocations and removes the record (DescribeEndpoint then answers ValidationException,
 * which the EndpointDeleted waiter waits for).
 */
export const deleteEndpoint: OperationHandler<DeleteEndpointInput> = async (input, ctx) => {
  const now = ctx.platform.now();
  const doc = await updateEndpoint(ctx.platform.store, input.EndpointName, (d) => (d.EndpointStatus === 'Deleting' ? undefined : { ...d, EndpointStatus: 'Deleting' }), now);
  if (!doc) throw endpointNotFound(input.EndpointName);
  ctx.platform.changed(ENDPOINT_KIND);
  return {};
};
