import { StaleVersionError } from '../../core/errors.js';
import type { UpdateUserProfileRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { USER_PROFILE_KIND, requireUserProfile, type UserProfileDoc } from './user-profiles-doc.js';

/**
 * UpdateUserProfile: UserSettings merged member by member (a member given replaces the stored
 * one). A new ExecutionRole governs the user's next request.
 */
export const updateUserProfile: OperationHandler<UpdateUserProfileRequest> = async (input, ctx) => {
  for (let attempt = 0; ; attempt++) {
    const record = await requireUserProfile(ctx, input.DomainId, input.UserProfileName);
    const now = ctx.platform.now();
    const doc: UserProfileDoc = { ...record.doc, LastModifiedTime: now };
    if (input.UserSettings) doc.UserSettings = { ...record.doc.UserSettings, ...input.UserSettings };
    try {
      await ctx.platform.store.updateResource<UserProfileDoc>(USER_PROFILE_KIND, record.id, record.version, { doc, lastModifiedTime: now });
      return { UserProfileArn: record.arn };
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 4) throw e;
    }
  }
};
