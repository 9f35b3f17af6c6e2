import type { DeleteSpaceRequest } from '../../generated/types/sagemaker.js';
import { removeSpaceVolume } from '../../studio/space-volume.js';
import type { OperationHandler } from '../service.js';
import { liveAppsOf } from './apps-doc.js';
import { resourceInUse } from './domains-errors.js';
import { requireSpace, SPACE_KIND } from './spaces-doc.js';
import { dropTags } from './tags-records.js';

/** DeleteSpace: the record, its tags and its storage (unmounted, image and directory removed — as its EBS volume goes on SageMaker). */
export const deleteSpace: OperationHandler<DeleteSpaceRequest> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const record = await requireSpace(ctx, input.DomainId, input.SpaceName);
  // Its apps' servers run on its directory (docs/studio-apps.md).
  if ((await liveAppsOf(store, input.DomainId, { SpaceName: input.SpaceName })) > 0) throw resourceInUse(`Unable to delete Space [${record.arn}] because App(s) are associated with it.`);
  await store.deleteResource(SPACE_KIND, record.id);
  await dropTags(store, record.arn);
  await removeSpaceVolume(config, input.DomainId, input.SpaceName);
  return {};
};
