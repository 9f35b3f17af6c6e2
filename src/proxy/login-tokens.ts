import { createHash, randomBytes } from 'node:crypto';
import type { MetadataStore } from '../store/metadata-store.js';

/** Store kind of presigned-URL tokens: id = SHA-256 of the token, so the store never holds a usable one. */
export const LOGIN_TOKEN_KIND = 'studio-login-token';

export interface LoginTokenDoc {
  readonly domainId: string;
  /** Lower-cased. */
  readonly userProfileName: string;
  readonly spaceName?: string;
  readonly landingUri?: string;
  /** Epoch ms after which the token is refused. */
  readonly expiresAt: number;
  readonly sessionSeconds: number;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Mints a one-time token (32 random bytes, base64url) and records its hash. */
export async function mintLoginToken(store: MetadataStore, doc: LoginTokenDoc, now: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  await store.createResource<LoginTokenDoc>({ kind: LOGIN_TOKEN_KIND, id, name: id.slice(0, 16), arn: `studio-login:${id.slice(0, 16)}`, parent: doc.domainId, status: null, creationTime: now, doc });
  return token;
}

export type Redeemed = { ok: true; doc: LoginTokenDoc } | { ok: false; why: 'unknown' | 'expired' };

/** Uses a token up: the first caller to delete its record gets it; a second use or an expired one is refused. */
export async function redeemLoginToken(store: MetadataStore, token: string, now: number): Promise<Redeemed> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { ok: false, why: 'unknown' };
  const id = hashToken(token);
  const rec = await store.getResource<LoginTokenDoc>(LOGIN_TOKEN_KIND, id);
  if (!rec || !(await store.deleteResource(LOGIN_TOKEN_KIND, id))) return { ok: false, why: 'unknown' };
  if (rec.doc.expiresAt < now) return { ok: false, why: 'expired' };
  return { ok: true, doc: rec.doc };
}
