import { createHash, randomBytes } from 'node:crypto';
import { accessKeyId as newAccessKeyId, secretAccessKey as newSecret } from '../core/ids.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { RoleDoc } from './iam-directory.js';

/**
 * Temporary credentials (STS AssumeRole, a training job's execution role): an ASIA… access key,
 * its secret, a session token and an expiry, kept in the resources table (kind "sts-session",
 * id = the access key id). The token is stored as its SHA-256 only; the secret must be kept to
 * verify signatures. Expired sessions are answered ExpiredToken for a while, then swept.
 */
export const SESSION_KIND = 'sts-session';

export interface SessionDoc {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly tokenSha256: string;
  readonly expiresAt: number;
  readonly roleArn: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly sessionName: string;
  readonly policy?: string;
  readonly policyArns?: readonly string[];
}

export interface IssuedSession {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
  readonly assumedRoleArn: string;
  readonly assumedRoleId: string;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export const assumedRoleArn = (accountId: string, roleName: string, sessionName: string): string =>
  `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;

/** How long an expired session stays answerable as ExpiredToken before it is swept. */
const KEEP_EXPIRED_MS = 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;
const lastSweep = new WeakMap<MetadataStore, number>();

export async function issueRoleSession(
  store: MetadataStore,
  opts: { accountId: string; role: RoleDoc; sessionName: string; durationSeconds: number; now: number; policy?: string; policyArns?: readonly string[] },
): Promise<IssuedSession> {
  const accessKeyId = newAccessKeyId('ASIA');
  const secretAccessKey = newSecret();
  // Shaped like AWS's tokens (base64, a few hundred characters); only its hash is kept.
  const sessionToken = `IQoJb3JpZ2luX2Vj${randomBytes(180).toString('base64')}`;
  const expiresAt = Math.floor(opts.now / 1000) * 1000 + opts.durationSeconds * 1000;
  const arn = assumedRoleArn(opts.accountId, opts.role.RoleName, opts.sessionName);
  const doc: SessionDoc = {
    accessKeyId,
    secretAccessKey,
    tokenSha256: sha256(sessionToken),
    expiresAt,
    roleArn: opts.role.Arn,
    roleName: opts.role.RoleName,
    roleId: opts.role.RoleId,
    sessionName: opts.sessionName,
    ...(opts.policy !== undefined ? { policy: opts.policy } : {}),
    ...(opts.policyArns && opts.policyArns.length > 0 ? { policyArns: opts.policyArns } : {}),
  };
  await store.createResource<SessionDoc>({ kind: SESSION_KIND, id: accessKeyId, name: opts.sessionName, arn, parent: opts.role.RoleName.toLowerCase(), status: null, creationTime: opts.now, doc });
  void sweepExpiredSessions(store, opts.now).catch(() => undefined);
  return { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiresAt), assumedRoleArn: arn, assumedRoleId: `${opts.role.RoleId}:${opts.sessionName}` };
}

export async function getSession(store: MetadataStore, accessKeyId: string): Promise<SessionDoc | undefined> {
  return (await store.getResource<SessionDoc>(SESSION_KIND, accessKeyId))?.doc;
}

/** Deletes sessions that expired more than an hour ago; runs at most every ten minutes per store. */
export async function sweepExpiredSessions(store: MetadataStore, now: number): Promise<number> {
  if (now - (lastSweep.get(store) ?? 0) < SWEEP_EVERY_MS) return 0;
  lastSweep.set(store, now);
  let removed = 0;
  let cursor: string | undefined;
  const stale: string[] = [];
  do {
    const page = await store.listResources<SessionDoc>({ kind: SESSION_KIND, sortBy: 'creationTime', sortOrder: 'asc', limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) if (r.doc.expiresAt + KEEP_EXPIRED_MS < now) stale.push(r.id);
    cursor = page.nextCursor;
  } while (cursor);
  for (const id of stale) if (await store.deleteResource(SESSION_KIND, id)) removed++;
  return removed;
}
