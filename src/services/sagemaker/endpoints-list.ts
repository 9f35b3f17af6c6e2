import type { ListEndpointsInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_KIND, type EndpointDoc } from './endpoints-doc.js';
import { toListQuery } from './list-query.js';

/** ListEndpoints: NameContains, StatusEquals, time windows, SortBy Name|CreationTime|Status (default CreationTime, Descending), page 10. */
export const listEndpoints: OperationHandler<ListEndpointsInput> = async (input, ctx) => {
  const page = await ctx.platform.store.listResources<EndpointDoc>(toListQuery(ENDPOINT_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Descending' }));
  return {
    Endpoints: page.items.map(({ doc, creationTime, lastModifiedTime }) => ({
      EndpointName: doc.EndpointName,
      EndpointArn: doc.EndpointArn,
      CreationTime: new Date(creationTime),
      LastModifiedTime: new Date(lastModifiedTime),
      EndpointStatus: doc.EndpointStatus,
    })),
    NextToken: page.nextCursor,
  };
};
