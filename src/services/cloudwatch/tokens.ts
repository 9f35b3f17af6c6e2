import { createHash } from 'node:crypto';
import { invalidNextToken, invalidValue } from './errors.js';

/**
 * NextTokens. GetMetricData: an offset into the request's datapoints plus a digest of the request
 * it belongs to (a token from another request is InvalidNextToken). ListMetrics: the last series
 * id of the previous page.
 */
export const requestDigest = (request: unknown): string => createHash('sha256').update(JSON.stringify(request)).digest('base64url').slice(0, 16);

export const encodeDataToken = (offset: number, digest: string): string => Buffer.from(JSON.stringify({ o: offset, h: digest })).toString('base64url');

export function decodeDataToken(token: string | undefined, digest: string): number {
  if (token === undefined) return 0;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; h?: unknown };
    if (Number.isSafeInteger(v.o) && (v.o as number) >= 0 && v.h === digest) return v.o as number;
  } catch {
    // fall through
  }
  throw invalidNextToken();
}

export const encodeListToken = (lastId: number): string => Buffer.from(`m:${lastId}`).toString('base64url');

export function decodeListToken(token: string | undefined): number | undefined {
  if (token === undefined) return undefined;
  const m = /^m:(\d{1,15})$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m) throw invalidValue(token.slice(0, 64), 'NextToken');
  return Number(m[1]);
}
