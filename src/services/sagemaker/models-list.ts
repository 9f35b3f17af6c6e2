import type { ListModelsInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { MODEL_KIND, type ModelDoc } from './models-doc.js';

/** ListModels: NameContains, CreationTime window, SortBy Name|CreationTime (default CreationTime, Descending), page 10. */
export const listModels: OperationHandler<ListModelsInput> = async (input, ctx) => {
  const page = await ctx.platform.store.listResources<ModelDoc>(toListQuery(MODEL_KIND, input, { sortBy: 'CreationTime', sortOrder: 'Descending' }));
  return {
    Models: page.items.map(({ doc, creationTime }) => ({ ModelName: doc.ModelName, ModelArn: doc.ModelArn, CreationTime: new Date(creationTime) })),
    NextToken: page.nextCursor,
  };
};
