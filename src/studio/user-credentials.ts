import { accessKeyId as newAccessKeyId, secretAccessKey as newSecret } from '../core/ids.js';
import type { ArnScope } from '../core/arn.js';
import type { AccessKey, MetadataStore } from '../store/metadata-store.js';
import { DOMAIN_KIND, nestedId, USER_PROFILE_KIND, userProfileArn } from './user-identity.js';

/**
 * A user profile's long-term access key pair (docs/studio.md): a row of the access-keys table
 * whose principal ARN is the user profile's ARN. `clary users credentials` prints it (creating it
 * on first use) or rotates it; DeleteUserProfile disables it.
 */
export interface UserCredentials {
  readonly domainId: string;
  readonly userProfileName: string;
  readonly principalArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Whether this call made the key (first use or --rotate). */
  readonly created: boolean;
}

export class StudioUserNotFound extends Error {}

/** A domain named by id (d-…) or by DomainName (which must then be unique). */
export async function resolveDomainId(store: MetadataStore, domain: string): Promise<string> {
  if (/^d-/.test(domain) && (await store.getResource(DOMAIN_KIND, domain))) return domain;
  const hits: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.listResources({ kind: DOMAIN_KIND, nameContains: domain, sortBy: 'name', sortOrder: 'asc', limit: 100, cursor });
    for (const r of page.items) if (r.name === domain) hits.push(r.id);
    cursor = page.nextCursor;
  } while (cursor);
  if (hits.length === 1) return hits[0]!;
  if (hits.length > 1) throw new StudioUserNotFound(`several domains are named "${domain}" (${hits.join(', ')}); give the domain id`);
  throw new StudioUserNotFound(`no domain "${domain}" (give a domain id d-… or a DomainName; \`aws sagemaker list-domains\` lists them)`);
}

export async function userCredentials(
  store: MetadataStore,
  scope: ArnScope,
  domain: string,
  user: string,
  opts: { rotate?: boolean; now?: number } = {},
): Promise<UserCredentials> {
  const domainId = await resolveDomainId(store, domain);
  const profile = await store.getResource<{ UserProfileName: string }>(USER_PROFILE_KIND, nestedId(domainId, user));
  if (!profile) throw new StudioUserNotFound(`no user profile "${user}" in domain ${domainId}`);
  const principalArn = userProfileArn(scope, domainId, user);
  const keys = await store.listAccessKeys(principalArn);
  const active = keys.filter((k) => k.status === 'Active').sort((a, b) => b.createdAt - a.createdAt);
  const base = { domainId, userProfileName: profile.doc.UserProfileName, principalArn };
  if (!opts.rotate && active[0]) return { ...base, accessKeyId: active[0].accessKeyId, secretAccessKey: active[0].secretAccessKey, created: false };
  for (const k of keys) await store.deleteAccessKey(k.accessKeyId);
  const key: AccessKey = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecret(), principalArn, status: 'Active', createdAt: opts.now ?? Date.now() };
  await store.putAccessKey(key);
  return { ...base, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, created: true };
}

/** Disables every key of a principal (DeleteUserProfile); the key resolver's cache forgets them within 5 s. */
export async function disableUserKeys(store: MetadataStore, principalArn: string): Promise<void> {
  for (const k of await store.listAccessKeys(principalArn)) {
    if (k.status === 'Active') await store.putAccessKey({ ...k, status: 'Inactive' });
  }
}

/** The AWS shared-credentials form: `aws --profile <profile>` and boto3.Session(profile_name=…) read it. */
export function credentialsFileText(c: UserCredentials, region: string, profile = `${c.domainId}-${c.userProfileName.toLowerCase()}`): string {
  return `# Clary Studio user profile ${c.userProfileName} of ${c.domainId} (${c.principalArn})\n[${profile}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\nregion = ${region}\n`;
}
