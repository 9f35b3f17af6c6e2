import { pipeline } from 'node:stream/promises';
import type { OutgoingHttpHeaders } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import type { ObjectInfo } from '../../objects/object-store.js';
import { checkKey, s3Errors } from '../../objects/s3-errors.js';
import { contentMD5, declaredLength, header, objectHeaders, parseRange, putOptionsFrom, responseOverrides } from './headers.js';
import { baseHeaders, sendEmpty, sendXml } from './respond.js';
import { authorize, captureChecksums, payload, type S3Request } from './s3-request.js';
import { parseCopySource } from './copy-source.js';

export async function putObject(r: S3Request): Promise<void> {
  await authorize(r, 'PutObject', r.bucket, r.key);
  checkKey(r.key);
  const length = declaredLength(r.req);
  if (length === undefined) throw new ServiceError('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
  const max = r.ctx.platform.config.limits.maxPutObjectBytes;
  if (length > max) throw s3Errors.entityTooLarge(length, max);
  const opts = putOptionsFrom(r.req);
  const md5 = contentMD5(r.req);
  const body = payload(r);
  const checksums: Record<string, string> = {};
  captureChecksums(body, checksums);
  const info = await r.ctx.platform.objects.putObject(r.bucket, r.key, body, { ...opts, contentMD5: md5, contentLength: length, checksums, signal: r.ctx.signal });
  const extra: Record<string, string> = { etag: info.etag };
  for (const [alg, v] of Object.entries(info.checksums ?? {})) extra[`x-amz-checksum-${alg.toLowerCase()}`] = v;
  sendEmpty(r.res, r.ctx.requestId, 200, extra);
}

/** If-Match / If-None-Match / If-(Un)Modified-Since, in RFC 7232's order. */
function checkConditions(r: S3Request, info: ObjectInfo): void {
  const ifMatch = header(r.req, 'if-match');
  const ifNoneMatch = header(r.req, 'if-none-match');
  const since = (name: string) => {
    const v = header(r.req, name);
    const t = v === undefined ? NaN : Date.parse(v);
    return Number.isNaN(t) ? undefined : t;
  };
  const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  const matches = (list: string) => list.split(',').some((e) => e.trim() === '*' || e.trim().replace(/^W\//, '').replace(/"/g, '') === info.etag.replace(/"/g, ''));
  if (ifMatch !== undefined && !matches(ifMatch)) throw s3Errors.preconditionFailed('If-Match');
  const ius = since('if-unmodified-since');
  if (ifMatch === undefined && ius !== undefined && modified > ius) throw s3Errors.preconditionFailed('If-Unmodified-Since');
  const notModified = () => new ServiceError('NotModified', 'Not Modified', 304, {}, { etag: info.etag, 'last-modified': info.lastModified.toUTCString() });
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch)) throw notModified();
  } else {
    const ims = since('if-modified-since');
    if (ims !== undefined && modified <= ims) throw notModified();
  }
}

export async function getObject(r: S3Request, head: boolean): Promise<void> {
  await authorize(r, 'GetObject', r.bucket, r.key);
  const objects = r.ctx.platform.objects;
  const partNumber = r.url.searchParams.get('partNumber');
  if (partNumber !== null && partNumber !== '1') throw s3Errors.invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', partNumber);
  const withChecksums = header(r.req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
  const range = parseRange(header(r.req, 'range'));
  if (head) {
    const info = await objects.headObject(r.bucket, r.key);
    checkConditions(r, info);
    const h: OutgoingHttpHeaders = { ...baseHeaders(r.ctx.requestId), ...objectHeaders(info, withChecksums) };
    responseOverrides(r.url, h);
    if (range) {
      const { start, end } = resolveRange(range, info.size);
      h['content-range'] = `bytes ${start}-${end}/${info.size}`;
      h['content-length'] = end - start + 1;
      r.res.writeHead(206, h);
    } else {
      h['content-length'] = info.size;
      r.res.writeHead(200, h);
    }
    r.res.end();
    return;
  }
  const got = await objects.getObject(r.bucket, r.key, range);
  try {
    checkConditions(r, got.info);
  } catch (e) {
    got.body.destroy();
    throw e;
  }
  const h: OutgoingHttpHeaders = { ...baseHeaders(r.ctx.requestId), ...objectHeaders(got.info, withChecksums && !got.range) };
  responseOverrides(r.url, h);
  if (got.range) {
    h['content-range'] = `bytes ${got.range.start}-${got.range.end}/${got.info.size}`;
    h['content-length'] = got.range.end - got.range.start + 1;
    r.res.writeHead(206, h);
  } else {
    h['content-length'] = got.info.size;
    r.res.writeHead(200, h);
  }
  try {
    await pipeline(got.body, r.res);
  } catch {
    // The client went away mid-download; nothing more to say to it.
    r.res.destroy();
  }
}

function resolveRange(range: { start?: number; end?: number; suffix?: number }, size: number): { start: number; end: number } {
  if (range.suffix !== undefined) {
    if (range.suffix <= 0 || size === 0) throw s3Errors.invalidRange(size, `bytes=-${range.suffix}`);
    return { start: Math.max(0, size - range.suffix), end: size - 1 };
  }
  const start = range.start ?? 0;
  if (start >= size) throw s3Errors.invalidRange(size, `bytes=${start}-${range.end ?? ''}`);
  return { start, end: Math.min(range.end ?? size - 1, size - 1) };
}

export async function deleteObject(r: S3Request): Promise<void> {
  await authorize(r, 'DeleteObject', r.bucket, r.key);
  await r.ctx.platform.objects.deleteObject(r.bucket, r.key);
  sendEmpty(r.res, r.ctx.requestId, 204);
}

export async function copyObject(r: S3Request, source: string): Promise<void> {
  const src = parseCopySource(source);
  await authorize(r, 'GetObject', src.bucket, src.key);
  await authorize(r, 'PutObject', r.bucket, r.key);
  checkKey(r.key);
  const directive = (header(r.req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw s3Errors.invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  const objects = r.ctx.platform.objects;
  const srcInfo = await objects.headObject(src.bucket, src.key);
  checkCopyConditions(r, srcInfo);
  r.req.resume();
  const opts = directive === 'REPLACE' ? putOptionsFrom(r.req) : {};
  const info = await objects.copyObject(src, { bucket: r.bucket, key: r.key }, { metadataDirective: directive, ...opts, signal: r.ctx.signal });
  sendXml(r.res, r.ctx.requestId, 'CopyObjectResult', { LastModified: info.lastModified, ETag: info.etag });
}

function checkCopyConditions(r: S3Request, info: ObjectInfo): void {
  const m = header(r.req, 'x-amz-copy-source-if-match');
  if (m !== undefined && m.replace(/"/g, '') !== info.etag.replace(/"/g, '')) throw s3Errors.preconditionFailed('x-amz-copy-source-If-Match');
  const n = header(r.req, 'x-amz-copy-source-if-none-match');
  if (n !== undefined && n.replace(/"/g, '') === info.etag.replace(/"/g, '')) throw s3Errors.preconditionFailed('x-amz-copy-source-If-None-Match');
}
