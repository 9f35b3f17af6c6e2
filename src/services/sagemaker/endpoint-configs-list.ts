import type { ListEndpointConfigsInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, type EndpointConfigDoc } from './endpoint-configs-doc.js';
import { toListQuery } from './list-query.js';

/** ListEndpointConfigs: NameContains, CreationTime window, SortBy Name|CreationTime (default CreationTime, Descending), page 10. */
export const listEndpointConfigs: OperationHandler<ListEndpointConfigsInput> = async (input, ctx) => {
  const page = await ctx.platform.store.listResources<EndpointConfigDoc>(toListQuery(ENDPOINT_CONFIG_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Descending' }));
  return {
    EndpointConfigs: page.items.map(({ doc, creationTime }) => ({ EndpointConfigName: doc.EndpointConfigName, EndpointConfigArn: doc.EndpointConfigArn, CreationTime: new Date(creationTime) })),
    NextToken: page.nextCursor,
  };
};
