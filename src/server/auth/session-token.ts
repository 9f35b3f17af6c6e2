import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ServiceError } from '../../core/errors.js';
import type { AuthFamily } from './types.js';

/**
 * Temporary credentials are valid only with their session token (x-amz-security-token header, or
 * X-Amz-Security-Token in a presigned URL) and only until they expire.
 */
export function checkSessionToken(
  req: IncomingMessage,
  url: URL,
  session: { readonly tokenSha256: string; readonly expiresAt: number },
  now: number,
  family: AuthFamily,
  errors: { invalid(f: AuthFamily): ServiceError; expired(f: AuthFamily): ServiceError },
): void {
  const header = req.headers['x-amz-security-token'];
  const token = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('X-Amz-Security-Token') ?? url.searchParams.get('x-amz-security-token') ?? undefined;
  if (!token) throw errors.invalid(family);
  const got = createHash('sha256').update(token).digest();
  if (!timingSafeEqual(got, Buffer.from(session.tokenSha256, 'hex'))) throw errors.invalid(family);
  if (now >= session.expiresAt) throw errors.expired(family);
}
