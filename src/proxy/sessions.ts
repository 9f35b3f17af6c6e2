import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { MetadataStore } from '../store/metadata-store.js';
import { hashToken } from './login-tokens.js';

/** Store kind of Studio browser sessions: id = SHA-256 of the cookie value. */
export const SESSION_KIND = 'studio-session';
export const SESSION_COOKIE = 'clary_studio_session';

export interface SessionDoc {
  readonly domainId: string;
  /** Lower-cased user profile name. */
  readonly userProfileName: string;
  readonly expiresAt: number;
}

export async function createSession(store: MetadataStore, doc: SessionDoc, now: number): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  const id = hashToken(value);
  await store.createResource<SessionDoc>({ kind: SESSION_KIND, id, name: id.slice(0, 16), arn: `studio-session:${id.slice(0, 16)}`, parent: doc.domainId, status: null, creationTime: now, doc });
  return value;
}

/** Set-Cookie for a session: HttpOnly, SameSite=Lax, scoped to the domain's path, gone when the session ends. */
export function sessionCookie(value: string, domainId: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/studio/${domainId}/; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}; HttpOnly; SameSite=Lax`;
}

/** The session cookie values a request carries (a browser may send several with different paths). */
export function sessionValues(req: IncomingMessage): string[] {
  const out: string[] = [];
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === SESSION_COOKIE && v.length) out.push(v.join('='));
  }
  return out;
}

/** The request's live session for `domainId`, if any. */
export async function findSession(store: MetadataStore, req: IncomingMessage, domainId: string, now: number): Promise<SessionDoc | undefined> {
  for (const value of sessionValues(req)) {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(value)) continue;
    const rec = await store.getResource<SessionDoc>(SESSION_KIND, hashToken(value));
    if (!rec) continue;
    if (rec.doc.expiresAt < now) {
      await store.deleteResource(SESSION_KIND, rec.id);
      continue;
    }
    if (rec.doc.domainId === domainId) return rec.doc;
  }
  return undefined;
}

/** The Cookie header without Clary's session cookie (Jupyter never sees it). */
export function withoutSessionCookie(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const kept = cookie.split(';').map((p) => p.trim()).filter((p) => p && !p.startsWith(`${SESSION_COOKIE}=`));
  return kept.length ? kept.join('; ') : undefined;
}
