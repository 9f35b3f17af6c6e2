import { ServiceError } from '../../core/errors.js';
import { checkKey, s3Errors } from '../../objects/s3-errors.js';
import { parseCopySource } from './copy-source.js';
import { contentMD5, declaredLength, header, parseRange, putOptionsFrom } from './headers.js';
import { maxKeysParam } from './list-ops.js';
import { parseXmlBody, str } from './parse-xml.js';
import { baseHeaders, errorXml, sendEmpty, sendXml } from './respond.js';
import { authorize, owner, payload, readSmallBody, type S3Request } from './s3-request.js';
import { document } from './xml.js';

function uploadId(r: S3Request): string {
  return r.url.searchParams.get('uploadId') ?? '';
}

function partNumber(r: S3Request): number {
  const raw = r.url.searchParams.get('partNumber') ?? '';
  const n = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 10_000)) throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  return n;
}

export async function createMultipartUpload(r: S3Request): Promise<void> {
  await authorize(r, 'PutObject', r.bucket, r.key);
  checkKey(r.key);
  const up = await r.ctx.platform.objects.createMultipartUpload(r.bucket, r.key, putOptionsFrom(r.req));
  r.req.resume();
  sendXml(r.res, r.ctx.requestId, 'InitiateMultipartUploadResult', { Bucket: r.bucket, Key: r.key, UploadId: up.uploadId });
}

export async function uploadPart(r: S3Request): Promise<void> {
  await authorize(r, 'PutObject', r.bucket, r.key);
  const n = partNumber(r);
  const length = declaredLength(r.req);
  if (length === undefined) throw new ServiceError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
  const max = r.ctx.platform.config.limits.maxPartBytes;
  if (length > max) throw s3Errors.entityTooLarge(length, max);
  const md5 = contentMD5(r.req);
  const body = payload(r);
  const part = await r.ctx.platform.objects.uploadPart(r.bucket, r.key, uploadId(r), n, body, { contentMD5: md5, contentLength: length, signal: r.ctx.signal });
  const extra: Record<string, string> = { etag: part.etag };
  for (const [alg, v] of Object.entries(body.checksums)) if (alg !== 'md5' && v) extra[`x-amz-checksum-${alg}`] = v;
  sendEmpty(r.res, r.ctx.requestId, 200, extra);
}

export async function uploadPartCopy(r: S3Request, source: string): Promise<void> {
  const src = parseCopySource(source);
  await authorize(r, 'GetObject', src.bucket, src.key);
  await authorize(r, 'PutObject', r.bucket, r.key);
  const n = partNumber(r);
  r.req.resume();
  const rangeHeader = header(r.req, 'x-amz-copy-source-range');
  const range = parseRange(rangeHeader);
  if (rangeHeader !== undefined && (!range || range.suffix !== undefined || range.end === undefined)) {
    throw s3Errors.invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', rangeHeader);
  }
  const objects = r.ctx.platform.objects;
  const got = await objects.getObject(src.bucket, src.key, range);
  const length = got.range ? got.range.end - got.range.start + 1 : got.info.size;
  const part = await objects.uploadPart(r.bucket, r.key, uploadId(r), n, got.body, { contentLength: length, signal: r.ctx.signal });
  sendXml(r.res, r.ctx.requestId, 'CopyPartResult', { LastModified: part.lastModified, ETag: part.etag });
}

/**
 * Completing can take a while for big objects (the parts are concatenated). After a few seconds
 * S3's trick is used: a 200 goes out at once with whitespace every few seconds to keep the client
 * waiting, then the result, or an <Error> document in the 200 body, which every SDK understands.
 */
export async function completeMultipartUpload(r: S3Request): Promise<void> {
  await authorize(r, 'PutObject', r.bucket, r.key);
  const doc = parseXmlBody(await readSmallBody(r), 'CompleteMultipartUpload');
  const list = Array.isArray(doc.Part) ? (doc.Part as Record<string, unknown>[]) : [];
  const parts = list.map((p) => {
    const num = Number(str(p?.PartNumber));
    const etag = str(p?.ETag);
    if (!Number.isInteger(num) || etag === undefined) throw s3Errors.malformedXml();
    return { partNumber: num, etag: etag.trim() };
  });
  if (parts.length === 0) throw s3Errors.malformedXml();
  const work = r.ctx.platform.objects.completeMultipartUpload(r.bucket, r.key, uploadId(r), parts);
  let streaming = false;
  let keepAlive: NodeJS.Timeout | undefined;
  const start = setTimeout(() => {
    streaming = true;
    r.res.writeHead(200, { ...baseHeaders(r.ctx.requestId), 'content-type': 'application/xml' });
    r.res.write('<?xml version="1.0" encoding="UTF-8"?>\n');
    keepAlive = setInterval(() => r.res.write(' '), 5000);
  }, 3000);
  try {
    const info = await work;
    const result = { Location: `${r.ctx.platform.config.host}/${r.bucket}/${r.key}`, Bucket: r.bucket, Key: r.key, ETag: info.etag };
    if (!streaming) return sendXml(r.res, r.ctx.requestId, 'CompleteMultipartUploadResult', result);
    r.res.end(document('CompleteMultipartUploadResult', result).replace(/^<\?xml[^>]*>\n/, ''));
  } catch (e) {
    if (!streaming || !(e instanceof ServiceError)) throw e;
    r.res.end(errorXml(e, r.url.pathname, r.ctx.requestId).replace(/^<\?xml[^>]*>\n/, ''));
  } finally {
    clearTimeout(start);
    if (keepAlive) clearInterval(keepAlive);
  }
}

export async function abortMultipartUpload(r: S3Request): Promise<void> {
  await authorize(r, 'AbortMultipartUpload', r.bucket, r.key);
  await r.ctx.platform.objects.abortMultipartUpload(r.bucket, r.key, uploadId(r));
  sendEmpty(r.res, r.ctx.requestId, 204);
}

export async function listParts(r: S3Request): Promise<void> {
  await authorize(r, 'ListMultipartUploadParts', r.bucket, r.key);
  const markerRaw = r.url.searchParams.get('part-number-marker');
  const marker = markerRaw === null || markerRaw === '' ? undefined : Number(markerRaw);
  if (marker !== undefined && !Number.isInteger(marker)) throw s3Errors.invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', markerRaw ?? '');
  const maxParts = maxKeysParam(r.url, 'max-parts');
  const out = await r.ctx.platform.objects.listParts(r.bucket, r.key, uploadId(r), { partNumberMarker: marker, maxParts });
  const o = owner(r);
  sendXml(r.res, r.ctx.requestId, 'ListPartsResult', {
    Bucket: r.bucket, Key: r.key, UploadId: uploadId(r), Initiator: o, Owner: o, StorageClass: 'STANDARD',
    PartNumberMarker: marker ?? 0, NextPartNumberMarker: out.nextPartNumberMarker ?? 0, MaxParts: maxParts, IsTruncated: out.isTruncated,
    Part: out.parts.map((p) => ({ PartNumber: p.partNumber, LastModified: p.lastModified, ETag: p.etag, Size: p.size })),
  });
}

export async function listMultipartUploads(r: Omit<S3Request, 'key'>): Promise<void> {
  await authorize(r, 'ListBucketMultipartUploads', r.bucket);
  const p = r.url.searchParams;
  const maxUploads = maxKeysParam(r.url, 'max-uploads');
  const keyMarker = p.get('key-marker') || undefined;
  const uploadIdMarker = p.get('upload-id-marker') || undefined;
  const prefix = p.get('prefix') || undefined;
  const out = await r.ctx.platform.objects.listMultipartUploads(r.bucket, { prefix, keyMarker, uploadIdMarker, maxUploads });
  const last = out.uploads[out.uploads.length - 1];
  const o = owner(r);
  sendXml(r.res, r.ctx.requestId, 'ListMultipartUploadsResult', {
    Bucket: r.bucket, KeyMarker: keyMarker ?? '', UploadIdMarker: uploadIdMarker ?? '',
    NextKeyMarker: out.isTruncated ? last?.key : undefined, NextUploadIdMarker: out.isTruncated ? last?.uploadId : undefined,
    Prefix: prefix, MaxUploads: maxUploads, IsTruncated: out.isTruncated,
    Upload: out.uploads.map((u) => ({ Key: u.key, UploadId: u.uploadId, Initiator: o, Owner: o, StorageClass: 'STANDARD', Initiated: u.initiated })),
  });
}
