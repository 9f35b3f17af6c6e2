import type { ListSpacesRequest } from '../../generated/types/sagemaker.js';
import { canSeeSpace, viewerOf } from '../../studio/visibility.js';
import type { OperationHandler } from '../service.js';
import { toListQuery } from './list-query.js';
import { SPACE_KIND, spaceFacts, type SpaceDoc } from './spaces-doc.js';

/**
 * ListSpaces: DomainIdEquals, SpaceNameContains, SortBy CreationTime|LastModifiedTime (default
 * CreationTime, Descending), MaxResults (default 10), NextToken. A user-profile principal gets its
 * domain's shared spaces and its own private ones; a page may then hold fewer than MaxResults.
 */
export const listSpaces: OperationHandler<ListSpacesRequest> = async (input, ctx) => {
  const viewer = viewerOf(ctx.principal);
  let parent = input.DomainIdEquals;
  if (viewer.kind === 'user') {
    if (parent !== undefined && parent !== viewer.user.domainId) return { Spaces: [] };
    parent = viewer.user.domainId;
  }
  const query = toListQuery(SPACE_KIND, { ...input, NameContains: input.SpaceNameContains }, { sortBy: 'CreationTime', sortOrder: 'Descending', parent });
  const page = await ctx.platform.store.listResources<SpaceDoc>(query);
  return {
    Spaces: page.items
      .filter((r) => canSeeSpace(viewer, spaceFacts(r.doc)))
      .map(({ doc }) => {
        const s = doc.SpaceSettings;
        const summary = s && { AppType: s.AppType, RemoteAccess: s.RemoteAccess, SpaceStorageSettings: s.SpaceStorageSettings };
        return {
          DomainId: doc.DomainId,
          SpaceName: doc.SpaceName,
          SpaceDisplayName: doc.SpaceDisplayName,
          Status: doc.Status,
          CreationTime: new Date(doc.CreationTime),
          LastModifiedTime: new Date(doc.LastModifiedTime),
          SpaceSettingsSummary: summary,
          SpaceSharingSettingsSummary: { SharingType: doc.SpaceSharingSettings.SharingType },
          OwnershipSettingsSummary: doc.OwnershipSettings && { OwnerUserProfileName: doc.OwnershipSettings.OwnerUserProfileName },
        };
      }),
    NextToken: page.nextCursor,
  };
};
