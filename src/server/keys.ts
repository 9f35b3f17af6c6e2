import { iamArn } from '../core/arn.js';
import type { Principal } from '../core/principal.js';
import { getSession } from '../iam/role-sessions.js';
import { studioUserOfArn } from '../studio/user-identity.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { KeyResolver, ResolvedKey } from './auth/types.js';

/**
 * Access keys from the store, with a small cache so signature checks cost no query: the admin's
 * long-term keys (access_keys table) and temporary ASIA… keys of role sessions (docs/iam.md), which
 * carry their session token's hash and expiry for authenticate() to check.
 */
export function storeKeyResolver(store: MetadataStore, scope: { accountId: string; region: string }): KeyResolver {
  const cache = new Map<string, ResolvedKey & { at: number }>();
  const TTL = 5_000;
  const MAX = 10_000;
  const rootArn = iamArn(scope, 'root');

  async function load(accessKeyId: string): Promise<ResolvedKey | undefined> {
    if (accessKeyId.startsWith('ASIA')) {
      const s = await getSession(store, accessKeyId);
      if (!s) return undefined;
      const principal: Principal = {
        arn: `arn:aws:sts::${scope.accountId}:assumed-role/${s.roleName}/${s.sessionName}`,
        accountId: scope.accountId,
        userId: `${s.roleId}:${s.sessionName}`,
        accessKeyId,
        isAdmin: false,
        session: {
          roleArn: s.roleArn,
          roleName: s.roleName,
          roleId: s.roleId,
          sessionName: s.sessionName,
          expiresAt: s.expiresAt,
          ...(s.policy !== undefined ? { policy: s.policy } : {}),
          ...(s.policyArns ? { policyArns: s.policyArns } : {}),
        },
      };
      return { secretAccessKey: s.secretAccessKey, principal, session: { tokenSha256: s.tokenSha256, expiresAt: s.expiresAt } };
    }
    const key = await store.getAccessKey(accessKeyId);
    if (!key || key.status !== 'Active') return undefined;
    const principal: Principal = {
      arn: key.principalArn,
      accountId: scope.accountId,
      userId: key.principalArn === rootArn ? scope.accountId : key.accessKeyId,
      accessKeyId: key.accessKeyId,
      isAdmin: key.principalArn === rootArn,
    };
    // A Studio user profile's keys (docs/studio.md).
    const studioUser = principal.isAdmin ? undefined : studioUserOfArn(key.principalArn, scope);
    if (studioUser) return { secretAccessKey: key.secretAccessKey, principal: { ...principal, studioUser } };
    return { secretAccessKey: key.secretAccessKey, principal };
  }

  return {
    async resolve(accessKeyId) {
      const hit = cache.get(accessKeyId);
      if (hit && Date.now() - hit.at < TTL) return hit;
      const entry = await load(accessKeyId);
      if (!entry) {
        cache.delete(accessKeyId);
        return undefined;
      }
      if (cache.size >= MAX) cache.clear();
      const stamped = { ...entry, at: Date.now() };
      cache.set(accessKeyId, stamped);
      return stamped;
    },
  };
}
