import { iamArn } from '../core/arn.js';
import type { Principal } from '../core/principal.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { KeyResolver } from './auth/types.js';

/** Access keys from the store, with a small cache so signature checks cost no query. */
export function storeKeyResolver(store: MetadataStore, scope: { accountId: string; region: string }): KeyResolver {
  const cache = new Map<string, { secretAccessKey: string; principal: Principal; at: number }>();
  const TTL = 5_000;
  const rootArn = iamArn(scope, 'root');
  return {
    async resolve(accessKeyId) {
      const hit = cache.get(accessKeyId);
      if (hit && Date.now() - hit.at < TTL) return hit;
      const key = await store.getAccessKey(accessKeyId);
      if (!key || key.status !== 'Active') {
        cache.delete(accessKeyId);
        return undefined;
      }
      const principal: Principal = {
        arn: key.principalArn,
        accountId: scope.accountId,
        userId: key.principalArn === rootArn ? scope.accountId : key.accessKeyId,
        accessKeyId: key.accessKeyId,
        isAdmin: key.principalArn === rootArn,
      };
      const entry = { secretAccessKey: key.secretAccessKey, principal, at: Date.now() };
      cache.set(accessKeyId, entry);
      return entry;
    },
  };
}
