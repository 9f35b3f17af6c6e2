import type { ListAppsRequest } from '../../generated/types/sagemaker.js';
import { viewerOf } from '../../studio/visibility.js';
import type { OperationHandler } from '../service.js';
import { APP_KIND, canSeeApp, type AppDoc } from './apps-doc.js';
import { toListQuery } from './list-query.js';

/**
 * ListApps: DomainIdEquals, UserProfileNameEquals, SpaceNameEquals, SortBy CreationTime (default,
 * Descending), MaxResults (default 10), NextToken. Apps in spaces the caller may not see are left
 * out (src/studio/visibility.ts), so a page may hold fewer than MaxResults.
 */
export const listApps: OperationHandler<ListAppsRequest> = async (input, ctx) => {
  const viewer = viewerOf(ctx.principal);
  let parent = input.DomainIdEquals;
  if (viewer.kind === 'user') {
    if (parent !== undefined && parent !== viewer.user.domainId) return { Apps: [] };
    parent = viewer.user.domainId;
  }
  const query = toListQuery(APP_KIND, { MaxResults: input.MaxResults, NextToken: input.NextToken, SortOrder: input.SortOrder }, { sortBy: 'CreationTime', sortOrder: 'Descending', parent });
  const page = await ctx.platform.store.listResources<AppDoc>(query);
  const user = input.UserProfileNameEquals?.toLowerCase();
  const space = input.SpaceNameEquals?.toLowerCase();
  const apps: Record<string, unknown>[] = [];
  for (const { doc } of page.items) {
    if (user !== undefined && doc.UserProfileName?.toLowerCase() !== user) continue;
    if (space !== undefined && doc.SpaceName?.toLowerCase() !== space) continue;
    if (!(await canSeeApp(ctx.platform.store, viewer, doc))) continue;
    const out: Record<string, unknown> = {
      DomainId: doc.DomainId,
      UserProfileName: doc.UserProfileName,
      SpaceName: doc.SpaceName,
      AppType: doc.AppType,
      AppName: doc.AppName,
      Status: doc.Status,
      CreationTime: new Date(doc.CreationTime),
      ResourceSpec: doc.ResourceSpec,
    };
    for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
    apps.push(out);
  }
  return { Apps: apps, NextToken: page.nextCursor };
};
