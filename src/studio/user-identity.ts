import { parseArn, sagemakerArn, type ArnScope } from '../core/arn.js';
import type { MetadataStore } from '../store/metadata-store.js';

/**
 * A Studio user profile as a principal (docs/studio.md): its access keys live in the access-keys
 * table with the user profile's ARN as principal ARN, and it acts with the permissions of its
 * execution role (UserSettings.ExecutionRole, else the domain's DefaultUserSettings.ExecutionRole).
 */
export interface StudioUser {
  readonly domainId: string;
  /** Lower-cased, as in the ARN and the store ids. */
  readonly userProfileName: string;
}

export const USER_PROFILE_KIND = 'user-profile';
export const DOMAIN_KIND = 'domain';
export const SPACE_KIND = 'space';

/** Store id of a resource nested in a domain ("d-abc/alice"); names are case-insensitive. */
export const nestedId = (domainId: string, name: string): string => `${domainId}/${name.toLowerCase()}`;

export const userProfileArn = (scope: ArnScope, domainId: string, name: string): string => sagemakerArn(scope, 'user-profile', domainId, name);

/** The user profile an ARN names (arn:aws:sagemaker:<region>:<acct>:user-profile/<domain>/<name>), if it is one of this account's. */
export function studioUserOfArn(arn: string, scope: ArnScope): StudioUser | undefined {
  const p = parseArn(arn);
  if (!p || p.service !== 'sagemaker' || p.region !== scope.region || p.accountId !== scope.accountId) return undefined;
  const m = /^user-profile\/(d-[a-z0-9-]+)\/([a-z0-9-]+)$/.exec(p.resource);
  return m ? { domainId: m[1]!, userProfileName: m[2]! } : undefined;
}

interface ProfileRoles {
  UserSettings?: { ExecutionRole?: string };
}
interface DomainRoles {
  DefaultUserSettings?: { ExecutionRole?: string };
}

/**
 * The execution role a user profile acts with, or undefined when the user profile no longer exists
 * or neither it nor its domain names a role. Read from the store on every call, so a deleted user
 * profile or a changed role takes effect at once.
 */
export async function executionRoleOf(store: MetadataStore, user: StudioUser): Promise<string | undefined> {
  const profile = await store.getResource<ProfileRoles>(USER_PROFILE_KIND, nestedId(user.domainId, user.userProfileName));
  if (!profile) return undefined;
  if (profile.doc.UserSettings?.ExecutionRole) return profile.doc.UserSettings.ExecutionRole;
  const domain = await store.getResource<DomainRoles>(DOMAIN_KIND, user.domainId);
  return domain?.doc.DefaultUserSettings?.ExecutionRole;
}
