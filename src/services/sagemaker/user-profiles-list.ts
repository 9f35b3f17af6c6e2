import type { ListUserProfilesRequest } from '../../generated/types/sagemaker.js';
import { viewerOf } from '../../studio/visibility.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { USER_PROFILE_KIND, type UserProfileDoc } from './user-profiles-doc.js';

/**
 * ListUserProfiles: DomainIdEquals, UserProfileNameContains, SortBy CreationTime|LastModifiedTime
 * (default CreationTime, Descending), MaxResults (default 10), NextToken. A user-profile principal
 * lists its own domain only.
 */
export const listUserProfiles: OperationHandler<ListUserProfilesRequest> = async (input, ctx) => {
  const viewer = viewerOf(ctx.principal);
  let parent = input.DomainIdEquals;
  if (viewer.kind === 'user') {
    if (parent !== undefined && parent !== viewer.user.domainId) return { UserProfiles: [] };
    parent = viewer.user.domainId;
  }
  const query = toListQuery(USER_PROFILE_KIND, { ...input, NameContains: input.UserProfileNameContains }, { sortBy: 'CreationTime', sortOrder: 'Descending', parent });
  const page = await ctx.platform.store.listResources<UserProfileDoc>(query);
  return {
    UserProfiles: page.items.map(({ doc }) => ({
      DomainId: doc.DomainId,
      UserProfileName: doc.UserProfileName,
      Status: doc.Status,
      CreationTime: new Date(doc.CreationTime),
      LastModifiedTime: new Date(doc.LastModifiedTime),
    })),
    NextToken: page.nextCursor,
  };
};
