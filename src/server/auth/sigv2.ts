import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import { expiredSessionToken, invalidSessionToken, signatureMismatch, skewed, unknownAccessKey } from './auth-errors.js';
import { checkSessionToken } from './session-token.js';
import { httpDateToAmz, parseAmzDate, toAmzDate } from './amz-date.js';
import type { AuthOptions, AuthResult } from './types.js';

/**
 * S3's legacy Signature Version 2 (HMAC-SHA1), which S3 still accepts and which boto3 and the AWS
 * CLI use by default for `generate_presigned_url` / `aws s3 presign`: query-string auth
 * (AWSAccessKeyId, Expires, Signature) and the `Authorization: AWS AKID:signature` header.
 * Only for the S3 family; the payload is unsigned (Content-MD5, when sent, is still verified).
 */
const SUB_RESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'lifecycle', 'location', 'logging',
  'metrics', 'notification', 'object-lock', 'partNumber', 'policy', 'replication', 'requestPayment', 'response-cache-control',
  'response-content-disposition', 'response-content-encoding', 'response-content-language', 'response-content-type',
  'response-expires', 'restore', 'select', 'select-type', 'storageClass', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versionId', 'versioning', 'versions', 'website',
]);

export const isSigV2Query = (url: URL) => url.searchParams.has('AWSAccessKeyId') && url.searchParams.has('Signature');
export const isSigV2Header = (header: string | undefined) => header !== undefined && /^AWS [^:\s]+:\S+$/.test(header.trim());

export async function authenticateV2(req: IncomingMessage, url: URL, opts: AuthOptions): Promise<AuthResult> {
  const header = req.headers.authorization;
  const presigned = header === undefined;
  let accessKeyId: string;
  let provided: string;
  let dateLine: string;
  if (presigned) {
    accessKeyId = url.searchParams.get('AWSAccessKeyId')!;
    provided = url.searchParams.get('Signature')!;
    dateLine = url.searchParams.get('Expires') ?? '';
    if (!/^\d{1,12}$/.test(dateLine)) {
      throw new ServiceError('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', 403);
    }
    const expiresMs = Number(dateLine) * 1000;
    if (opts.now > expiresMs) {
      throw new ServiceError('AccessDenied', 'Request has expired', 403, { Expires: iso(expiresMs), ServerTime: iso(opts.now) });
    }
  } else {
    const m = /^AWS ([^:\s]+):(\S+)$/.exec(header.trim())!;
    accessKeyId = m[1]!;
    provided = m[2]!;
    const amzDate = single(req.headers['x-amz-date']);
    const date = amzDate ?? single(req.headers.date);
    const basic = date === undefined ? undefined : (parseAmzDate(date) === undefined ? httpDateToAmz(date) : date);
    const ms = basic === undefined ? undefined : parseAmzDate(basic);
    if (ms === undefined) throw new ServiceError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
    if (Math.abs(opts.now - ms) > opts.clockSkewSeconds * 1000) throw skewed('s3', toAmzDate(ms), opts.now, opts.clockSkewSeconds);
    dateLine = amzDate === undefined ? date! : '';
  }

  const key = await opts.keys.resolve(accessKeyId);
  if (!key) throw unknownAccessKey('s3', accessKeyId);
  if (key.session) checkSessionToken(req, url, key.session, opts.now, 's3', { invalid: invalidSessionToken, expired: expiredSessionToken });
  const head = [
    req.method ?? 'GET',
    pick(req, url, 'content-md5', presigned),
    pick(req, url, 'content-type', presigned),
    dateLine,
    ...amzHeaders(req, url, presigned),
  ];
  // A bucket-level request is signed as "/bucket/" by some clients (botocore) and "/bucket" by others.
  const resources = canonicalResources(req.url ?? '/');
  let matched = false;
  for (const resource of resources) {
    const expected = createHmac('sha1', key.secretAccessKey).update([...head, resource].join('\n'), 'utf8').digest('base64');
    const a = Buffer.from(expected);
    const b = Buffer.from(provided);
    if (a.length === b.length && timingSafeEqual(a, b)) matched = true;
  }
  if (!matched) {
    const stringToSign = [...head, resources[0]].join('\n');
    throw signatureMismatch('s3', { accessKeyId, stringToSign, signatureProvided: provided, canonicalRequest: '' });
  }
  return { principal: key.principal, payload: { kind: 'unsigned' }, presigned };
}

function pick(req: IncomingMessage, url: URL, name: string, presigned: boolean): string {
  return (single(req.headers[name]) ?? (presigned ? url.searchParams.get(name) : null) ?? '').trim();
}

/** x-amz-* headers (and, presigned, x-amz-* query parameters), lower-cased, sorted, one per line. */
function amzHeaders(req: IncomingMessage, url: URL, presigned: boolean): string[] {
  const values = new Map<string, string[]>();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name.startsWith('x-amz-')) values.set(name, [...(values.get(name) ?? []), raw[i + 1]!.trim()]);
  }
  if (presigned) {
    for (const [k, v] of url.searchParams) {
      const name = k.toLowerCase();
      if (name.startsWith('x-amz-') && !values.has(name)) values.set(name, [v.trim()]);
    }
  }
  return [...values.keys()].sort().map((k) => `${k}:${values.get(k)!.join(',')}`);
}

/** The raw path, plus the sub-resources among the query parameters, sorted; for "/bucket" also "/bucket/". */
function canonicalResources(rawUrl: string): string[] {
  const q = rawUrl.indexOf('?');
  const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const sub = subResources(q < 0 ? '' : rawUrl.slice(q + 1));
  const paths = /^\/[^/]+$/.test(path) ? [path, `${path}/`] : [path];
  return paths.map((p) => p + sub);
}

function subResources(query: string): string {
  if (query === '') return '';
  const subs: [string, string | undefined][] = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (SUB_RESOURCES.has(name)) subs.push([name, eq < 0 ? undefined : decode(part.slice(eq + 1))]);
  }
  if (subs.length === 0) return '';
  subs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `?${subs.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join('&')}`;
}

const decode = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};
const single = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
