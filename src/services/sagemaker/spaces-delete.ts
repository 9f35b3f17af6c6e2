import type { DeleteSpaceRequest } from '../../generated/types/sagemaker.js';
import { removeDir, spaceDir } from '../../studio/volumes.js';
import type { OperationHandler } from '../service.js';
import { requireSpace, SPACE_KIND } from './spaces-doc.js';
import { dropTags } from './tags-records.js';

/** DeleteSpace: the record, its tags and its directory (a space's storage goes with it, as its EBS volume does on SageMaker). */
export const deleteSpace: OperationHandler<DeleteSpaceRequest> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const record = await requireSpace(ctx, input.DomainId, input.SpaceName);
  await store.deleteResource(SPACE_KIND, record.id);
  await dropTags(store, record.arn);
  await removeDir(spaceDir(config, input.DomainId, input.SpaceName));
  return {};
};
