import { sagemakerArn } from '../../core/arn.js';
import type { OwnershipSettings, SpaceSettings, SpaceSharingSettings } from '../../generated/types/sagemaker.js';
import { nestedId, SPACE_KIND } from '../../studio/user-identity.js';
import { canSeeSpace, viewerOf, type SpaceFacts } from '../../studio/visibility.js';
import type { MetadataStore, ResourceRecord } from '../../store/metadata-store.js';
import type { RequestContext } from '../service.js';
import { spaceNotFound } from './domains-errors.js';

export { SPACE_KIND };

/**
 * The stored document of a space (id = "<domain-id>/<lower-cased name>", parent = the domain id):
 * DescribeSpace's members with times as epoch ms. SpaceSharingSettings is always stored
 * (Shared when the request gave none).
 */
export interface SpaceDoc {
  DomainId: string;
  SpaceArn: string;
  SpaceName: string;
  SpaceDisplayName?: string;
  HomeEfsFileSystemUid: string;
  Status: 'InService' | 'Failed' | 'Deleting';
  FailureReason?: string;
  SpaceSettings?: SpaceSettings;
  OwnershipSettings?: OwnershipSettings;
  SpaceSharingSettings: SpaceSharingSettings;
  Url: string;
  CreationTime: number;
  LastModifiedTime: number;
}

export const spaceArn = (ctx: RequestContext, domainId: string, name: string) => sagemakerArn(ctx.platform.config, 'space', domainId, name);

/** What the visibility rule (src/studio/visibility.ts) needs of a space. */
export const spaceFacts = (doc: SpaceDoc): SpaceFacts => ({
  domainId: doc.DomainId,
  sharingType: doc.SpaceSharingSettings.SharingType === 'Private' ? 'Private' : 'Shared',
  owner: doc.OwnershipSettings?.OwnerUserProfileName,
});

/** The space as the caller may see it; another user's private space answers ResourceNotFound, as a missing one does. */
export async function requireSpace(ctx: RequestContext, domainId: string, name: string): Promise<ResourceRecord<SpaceDoc>> {
  const record = await ctx.platform.store.getResource<SpaceDoc>(SPACE_KIND, nestedId(domainId, name));
  if (!record || !canSeeSpace(viewerOf(ctx.principal), spaceFacts(record.doc))) throw spaceNotFound(spaceArn(ctx, domainId, name));
  return record;
}

/** How many spaces of a domain the user profile owns (DeleteUserProfile refuses while any exist). */
export async function spacesOwnedBy(store: MetadataStore, domainId: string, user: string): Promise<number> {
  let n = 0;
  let cursor: string | undefined;
  do {
    const page = await store.listResources<SpaceDoc>({ kind: SPACE_KIND, parent: domainId, sortBy: 'creationTime', sortOrder: 'asc', limit: 1000, cursor });
    n += page.items.filter((r) => r.doc.OwnershipSettings?.OwnerUserProfileName.toLowerCase() === user.toLowerCase()).length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

export function toDescribeSpace(doc: SpaceDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, CreationTime: new Date(doc.CreationTime), LastModifiedTime: new Date(doc.LastModifiedTime) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
