import type { UserSettings } from '../../generated/types/sagemaker.js';
import { nestedId, USER_PROFILE_KIND, userProfileArn } from '../../studio/user-identity.js';
import { canSeeUserProfile, viewerOf } from '../../studio/visibility.js';
import type { ResourceRecord } from '../../store/metadata-store.js';
import type { RequestContext } from '../service.js';
import { userProfileNotFound } from './domains-errors.js';

export { USER_PROFILE_KIND };

/**
 * The stored document of a user profile (id = "<domain-id>/<lower-cased name>", parent = the
 * domain id): DescribeUserProfile's members with times as epoch ms. HomeEfsFileSystemUid is the
 * uid that owns its home directory on the domain volume (docs/studio.md).
 */
export interface UserProfileDoc {
  DomainId: string;
  UserProfileArn: string;
  UserProfileName: string;
  HomeEfsFileSystemUid: string;
  Status: 'InService' | 'Failed' | 'Deleting';
  FailureReason?: string;
  UserSettings?: UserSettings;
  CreationTime: number;
  LastModifiedTime: number;
}

export const userProfileId = nestedId;

/** The user profile as the caller may see it, or ResourceNotFound. */
export async function requireUserProfile(ctx: RequestContext, domainId: string, name: string): Promise<ResourceRecord<UserProfileDoc>> {
  const record = await ctx.platform.store.getResource<UserProfileDoc>(USER_PROFILE_KIND, nestedId(domainId, name));
  if (!record || !canSeeUserProfile(viewerOf(ctx.principal), domainId)) throw userProfileNotFound(userProfileArn(ctx.platform.config, domainId, name));
  return record;
}

export function toDescribeUserProfile(doc: UserProfileDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, CreationTime: new Date(doc.CreationTime), LastModifiedTime: new Date(doc.LastModifiedTime) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
