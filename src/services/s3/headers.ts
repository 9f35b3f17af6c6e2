import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { ObjectInfo, PutOptions } from '../../objects/object-store.js';
import { s3Errors } from '../../objects/s3-errors.js';
import { ServiceError } from '../../core/errors.js';
import { decodeContentMD5 } from '../../objects/blob-writer.js';

export function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Content-Type, Cache-Control, … and x-amz-meta-* from a PUT, copy or multipart create. */
export function putOptionsFrom(req: IncomingMessage): PutOptions {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  const size = Object.entries(metadata).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > 2048) {
    throw new ServiceError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size', 400, { Size: size, MaxSizeAllowed: 2048 });
  }
  const opts: Record<string, unknown> = { metadata };
  const pick = (field: keyof PutOptions, name: string) => {
    const v = header(req, name);
    if (v !== undefined) opts[field] = v;
  };
  pick('contentType', 'content-type');
  pick('contentEncoding', 'content-encoding');
  pick('contentDisposition', 'content-disposition');
  pick('contentLanguage', 'content-language');
  pick('cacheControl', 'cache-control');
  pick('expires', 'expires');
  // aws-chunked is transfer framing, not the object's encoding.
  if (typeof opts.contentEncoding === 'string') {
    const rest = opts.contentEncoding.split(',').map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== 'aws-chunked').join(',');
    if (rest) opts.contentEncoding = rest;
    else delete opts.contentEncoding;
  }
  return opts as PutOptions;
}

/** Content-MD5, checked for form (InvalidDigest) before any byte is read. */
export function contentMD5(req: IncomingMessage): string | undefined {
  const v = header(req, 'content-md5');
  if (v === undefined) return undefined;
  decodeContentMD5(v);
  return v;
}

/** The decoded body length the client declared, if any. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const decoded = header(req, 'x-amz-decoded-content-length');
  const raw = decoded ?? header(req, 'content-length');
  if (raw === undefined) return undefined;
  if (!/^\d{1,16}$/.test(raw)) throw s3Errors.invalidArgument('Content-Length is not a valid number.', 'Content-Length', raw);
  return Number(raw);
}

const httpDate = (d: Date) => d.toUTCString();

/** The response headers describing a stored object (GET, HEAD). */
export function objectHeaders(info: ObjectInfo, withChecksums: boolean): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {
    'last-modified': httpDate(info.lastModified),
    etag: info.etag,
    'content-type': info.contentType,
    'accept-ranges': 'bytes',
  };
  if (info.contentEncoding) h['content-encoding'] = info.contentEncoding;
  if (info.contentDisposition) h['content-disposition'] = info.contentDisposition;
  if (info.contentLanguage) h['content-language'] = info.contentLanguage;
  if (info.cacheControl) h['cache-control'] = info.cacheControl;
  if (info.expires) h.expires = info.expires;
  for (const [k, v] of Object.entries(info.metadata)) h[`x-amz-meta-${k}`] = v;
  if (withChecksums) for (const [alg, v] of Object.entries(info.checksums ?? {})) h[`x-amz-checksum-${alg.toLowerCase()}`] = v;
  return h;
}

/** response-content-type and friends on a GET override the stored headers. */
export function responseOverrides(url: URL, h: OutgoingHttpHeaders): void {
  const map: Record<string, string> = {
    'response-content-type': 'content-type', 'response-content-language': 'content-language', 'response-expires': 'expires',
    'response-cache-control': 'cache-control', 'response-content-disposition': 'content-disposition', 'response-content-encoding': 'content-encoding',
  };
  for (const [param, name] of Object.entries(map)) {
    const v = url.searchParams.get(param);
    if (v !== null) h[name] = v;
  }
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is ignored as S3 does. */
export function parseRange(value: string | undefined): { start?: number; end?: number; suffix?: number } | undefined {
  if (!value) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { suffix: Number(m[2]) };
  const start = Number(m[1]);
  if (m[2] === '') return { start };
  const end = Number(m[2]);
  return end < start ? undefined : { start, end };
}
