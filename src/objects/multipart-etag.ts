import { createHash } from 'node:crypto';

/** S3's ETag of a single-part object: the quoted MD5 hex. */
export const md5ETag = (md5: Buffer): string => `"${md5.toString('hex')}"`;

/** S3's ETag of a multipart object: the quoted MD5 of the concatenated binary part MD5s, then -N. */
export function multipartETag(partETags: readonly string[]): string {
  const h = createHash('md5');
  for (const e of partETags) h.update(Buffer.from(unquote(e), 'hex'));
  return `"${h.digest('hex')}-${partETags.length}"`;
}

/** ETags compare without their quotes (clients send both forms). */
export const unquote = (etag: string): string => etag.trim().replace(/^"(.*)"$/, '$1');

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;
