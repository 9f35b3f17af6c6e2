import type { DeleteUserProfileRequest } from '../../generated/types/sagemaker.js';
import { disableUserKeys } from '../../studio/user-credentials.js';
import { userHomeDir, removeDir } from '../../studio/volumes.js';
import type { OperationHandler } from '../service.js';
import { liveAppsOf } from './apps-doc.js';
import { resourceInUse } from './domains-errors.js';
import { spacesOwnedBy } from './spaces-doc.js';
import { dropTags } from './tags-records.js';
import { USER_PROFILE_KIND, requireUserProfile } from './user-profiles-doc.js';

/**
 * DeleteUserProfile: refused (ResourceInUse) while the user owns private spaces; otherwise its
 * access keys are disabled at once, its home directory removed and the record deleted.
 */
export const deleteUserProfile: OperationHandler<DeleteUserProfileRequest> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const record = await requireUserProfile(ctx, input.DomainId, input.UserProfileName);
  if ((await spacesOwnedBy(store, input.DomainId, input.UserProfileName)) > 0) {
    throw resourceInUse(`Unable to delete UserProfile [${record.arn}] because Space(s) are associated with it.`);
  }
  if ((await liveAppsOf(store, input.DomainId, { UserProfileName: input.UserProfileName })) > 0) {
    throw resourceInUse(`Unable to delete UserProfile [${record.arn}] because App(s) are associated with it.`);
  }
  await disableUserKeys(store, record.arn);
  await store.deleteResource(USER_PROFILE_KIND, record.id);
  await dropTags(store, record.arn);
  await removeDir(userHomeDir(config, input.DomainId, input.UserProfileName));
  return {};
};
