import { s3Errors } from '../../objects/s3-errors.js';
import type { ObjectInfo } from '../../objects/object-store.js';
import { sendXml } from './respond.js';
import { authorize, owner, type S3Request } from './s3-request.js';
import type { XmlNode } from './xml.js';

type BucketRequest = Omit<S3Request, 'key'>;

/** encoding-type=url: keys and prefixes percent-encoded (slashes kept), as S3 writes them. */
const urlEncode = (s: string) => encodeURIComponent(s).replace(/%2F/g, '/');

export function maxKeysParam(url: URL, name = 'max-keys', dflt = 1000): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return dflt;
  if (!/^\d+$/.test(raw)) throw s3Errors.invalidArgument('Provided max-keys not an integer or within integer range', name, raw);
  return Math.min(Number(raw), dflt);
}

function encodingType(url: URL): ((s: string) => string) | undefined {
  const e = url.searchParams.get('encoding-type');
  if (e === null) return undefined;
  if (e.toLowerCase() !== 'url') throw s3Errors.invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', e);
  return urlEncode;
}

function contents(objects: ObjectInfo[], enc: (s: string) => string, withOwner: XmlNode | undefined): XmlNode[] {
  return objects.map((o) => ({ Key: enc(o.key), LastModified: o.lastModified, ETag: o.etag, Size: o.size, StorageClass: 'STANDARD', Owner: withOwner }));
}

const encodeToken = (marker: string) => Buffer.from(JSON.stringify({ m: marker })).toString('base64url');
function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { m?: unknown };
    if (typeof parsed.m === 'string') return parsed.m;
  } catch {
    // fall through
  }
  throw s3Errors.invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
}

export async function listObjectsV2(r: BucketRequest): Promise<void> {
  await authorize(r, 'ListBucket', r.bucket);
  const p = r.url.searchParams;
  const enc = encodingType(r.url);
  const e = enc ?? ((s: string) => s);
  const maxKeys = maxKeysParam(r.url);
  const token = p.get('continuation-token') ?? undefined;
  const startAfter = p.get('start-after') || undefined;
  const prefix = p.get('prefix') ?? '';
  const delimiter = p.get('delimiter') || undefined;
  const after = token !== undefined ? decodeToken(token) : startAfter;
  const out = await r.ctx.platform.objects.listObjects(r.bucket, { prefix, delimiter, startAfter: after, maxKeys });
  const fetchOwner = p.get('fetch-owner') === 'true';
  sendXml(r.res, r.ctx.requestId, 'ListBucketResult', {
    Name: r.bucket,
    Prefix: e(prefix),
    Delimiter: delimiter === undefined ? undefined : e(delimiter),
    MaxKeys: maxKeys,
    EncodingType: enc ? 'url' : undefined,
    KeyCount: out.objects.length + out.commonPrefixes.length,
    IsTruncated: out.isTruncated,
    ContinuationToken: token,
    NextContinuationToken: out.isTruncated && out.nextMarker !== undefined ? encodeToken(out.nextMarker) : undefined,
    StartAfter: startAfter === undefined ? undefined : e(startAfter),
    Contents: contents(out.objects, e, fetchOwner ? owner(r) : undefined),
    CommonPrefixes: out.commonPrefixes.map((cp) => ({ Prefix: e(cp) })),
  });
}

export async function listObjectsV1(r: BucketRequest): Promise<void> {
  await authorize(r, 'ListBucket', r.bucket);
  const p = r.url.searchParams;
  const enc = encodingType(r.url);
  const e = enc ?? ((s: string) => s);
  const maxKeys = maxKeysParam(r.url);
  const marker = p.get('marker') ?? '';
  const prefix = p.get('prefix') ?? '';
  const delimiter = p.get('delimiter') || undefined;
  const out = await r.ctx.platform.objects.listObjects(r.bucket, { prefix, delimiter, startAfter: marker || undefined, maxKeys });
  sendXml(r.res, r.ctx.requestId, 'ListBucketResult', {
    Name: r.bucket,
    Prefix: e(prefix),
    Marker: e(marker),
    NextMarker: out.isTruncated && delimiter !== undefined && out.nextMarker !== undefined ? e(out.nextMarker) : undefined,
    MaxKeys: maxKeys,
    Delimiter: delimiter === undefined ? undefined : e(delimiter),
    EncodingType: enc ? 'url' : undefined,
    IsTruncated: out.isTruncated,
    Contents: contents(out.objects, e, owner(r)),
    CommonPrefixes: out.commonPrefixes.map((cp) => ({ Prefix: e(cp) })),
  });
}
