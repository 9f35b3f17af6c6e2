import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AuthResult } from '../../server/auth/types.js';
import type { RequestContext } from '../service.js';
import { openPayload, type PayloadStream } from '../../server/auth/payload.js';
import { s3Errors } from '../../objects/s3-errors.js';
import { ServiceError } from '../../core/errors.js';

/** One S3 request, routed: what every operation handler receives. */
export interface S3Request {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly ctx: RequestContext;
  readonly url: URL;
  readonly auth: AuthResult;
  readonly bucket: string;
  readonly key: string;
}

/** s3:Action on arn:aws:s3:::bucket[/key]; AccessDenied (403) when the authorizer says no. */
export async function authorize(r: Pick<S3Request, 'ctx'>, action: string, bucket?: string, key?: string): Promise<void> {
  const resource = bucket === undefined ? '*' : key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`;
  const decision = await r.ctx.platform.authorizer.authorize(r.ctx.principal, { action: `s3:${action}`, resource });
  if (!decision.allowed) throw s3Errors.accessDenied();
}

/** The decoded request body (signatures, hashes and checksums verified as it streams). */
export function payload(r: S3Request): PayloadStream {
  return openPayload(r.req, r.auth);
}

/** Copies the verified flexible checksums into `into` when the payload ends (before the store commits). */
export function captureChecksums(stream: PayloadStream, into: Record<string, string>): void {
  stream.once('end', () => {
    for (const [alg, v] of Object.entries(stream.checksums)) if (alg !== 'md5' && v) into[alg.toUpperCase()] = v;
  });
}

/** A small XML body (CompleteMultipartUpload, DeleteObjects), bounded. */
export async function readSmallBody(r: S3Request, limit = 8 * 1024 * 1024): Promise<Buffer> {
  const stream = payload(r);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > limit) {
      stream.destroy();
      throw new ServiceError('MaxMessageLengthExceeded', 'Your request was too big.', 400);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** S3's canonical user id for the account (64 hex digits), and its display name. */
export function owner(r: Pick<S3Request, 'ctx'>): { ID: string; DisplayName: string } {
  const account = r.ctx.platform.config.accountId;
  return { ID: createHash('sha256').update(`clary-canonical:${account}`).digest('hex'), DisplayName: 'clary' };
}
