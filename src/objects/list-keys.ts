import type { Index, ObjectRow } from './embedded-index.js';
import { keyBytes, objectInfo } from './embedded-index.js';
import type { ListObjectsOptions, ListObjectsResult, ObjectInfo } from './object-store.js';

/** The smallest byte string greater than every string that starts with `b`; undefined if none. */
export function successor(b: Buffer): Buffer | undefined {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(b.subarray(0, end));
  out[end - 1] = out[end - 1]! + 1;
  return out;
}

/** The smallest byte string strictly greater than `b`. */
const after = (b: Buffer): Buffer => Buffer.concat([b, Buffer.from([0])]);

/**
 * S3 listing over the index: keys in UTF-8 binary order, within `prefix`, strictly after
 * `startAfter`, rolled up into common prefixes at the first `delimiter` after the prefix. Common
 * prefixes count against maxKeys. Each common prefix costs one index seek, never a scan of its keys.
 */
export function listKeys(index: Index, bucket: string, opts: ListObjectsOptions): ListObjectsResult {
  const prefix = keyBytes(opts.prefix ?? '');
  const delimiter = opts.delimiter ? keyBytes(opts.delimiter) : undefined;
  const startAfter = opts.startAfter ? keyBytes(opts.startAfter) : undefined;
  const upper = prefix.length > 0 ? successor(prefix) : undefined;
  let lower: Buffer | undefined = startAfter && Buffer.compare(after(startAfter), prefix) > 0 ? after(startAfter) : prefix;
  const objects: ObjectInfo[] = [];
  const commonPrefixes: string[] = [];
  let nextMarker: string | undefined;
  const count = () => objects.length + commonPrefixes.length;
  const query = (from: Buffer, limit: number): ObjectRow[] =>
    upper ? index.q.listFrom.all(bucket, from, upper, limit) : index.q.listFromOpen.all(bucket, from, limit);

  scan: while (lower && count() < opts.maxKeys) {
    const rows = query(lower, opts.maxKeys - count() + 1);
    if (rows.length === 0) return { objects, commonPrefixes, isTruncated: false, nextMarker };
    for (const row of rows) {
      if (delimiter) {
        const at = row.key.indexOf(delimiter, prefix.length);
        if (at >= 0) {
          const cp = row.key.subarray(0, at + delimiter.length);
          lower = successor(cp);
          if (!startAfter || Buffer.compare(cp, startAfter) > 0) {
            nextMarker = cp.toString('utf8');
            commonPrefixes.push(nextMarker);
          }
          continue scan;
        }
      }
      objects.push(objectInfo(row));
      nextMarker = objects[objects.length - 1]!.key;
      lower = after(row.key);
      if (count() >= opts.maxKeys) break scan;
    }
  }
  const isTruncated = opts.maxKeys > 0 && lower !== undefined && query(lower, 1).length > 0;
  return { objects, commonPrefixes, isTruncated, nextMarker };
}
