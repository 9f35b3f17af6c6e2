import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';

export interface S3Target {
  /** Undefined for the service itself (ListBuckets). */
  readonly bucket: string | undefined;
  /** Undefined for bucket-level requests. */
  readonly key: string | undefined;
  readonly virtualHost: boolean;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * The bucket named by a virtual-hosted Host header: `bucket.localhost[:port]`, or
 * `bucket.s3.<anything>` / `bucket.s3-<region>.<anything>` (the AWS and LocalStack shapes).
 * An IP address or a bare host name means path style.
 */
export function virtualHostBucket(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const host = hostHeader.startsWith('[') ? '' : hostHeader.replace(/:\d+$/, '').toLowerCase();
  if (!host || IPV4.test(host)) return undefined;
  if (host.endsWith('.localhost')) return host.slice(0, -'.localhost'.length) || undefined;
  const m = /^(.+?)\.s3([.-][a-z0-9-]+)?\.[^]+$/.exec(host);
  return m?.[1];
}

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new ServiceError('InvalidURI', "Couldn't parse the specified URI.", 400);
  }
}

/**
 * Splits the request into bucket and key from the raw request target (never a normalised URL:
 * WHATWG URL parsing would resolve `..` segments and turn `\` into `/`, and both are key bytes).
 */
export function route(req: IncomingMessage): S3Target {
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  let path = q < 0 ? raw : raw.slice(0, q);
  if (/^https?:\/\//i.test(path)) path = path.replace(/^https?:\/\/[^/]*/i, '') || '/';
  const hostBucket = virtualHostBucket(req.headers.host);
  if (hostBucket !== undefined) {
    const key = path.length > 1 ? decode(path.slice(1)) : undefined;
    return { bucket: hostBucket, key, virtualHost: true };
  }
  const rest = path.startsWith('/') ? path.slice(1) : path;
  if (rest === '') return { bucket: undefined, key: undefined, virtualHost: false };
  const slash = rest.indexOf('/');
  if (slash < 0) return { bucket: decode(rest), key: undefined, virtualHost: false };
  const key = rest.slice(slash + 1);
  return { bucket: decode(rest.slice(0, slash)), key: key === '' ? undefined : decode(key), virtualHost: false };
}
