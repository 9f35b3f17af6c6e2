import { joinRecords, type SplitType } from './records.js';

export interface Batch {
  /** Index of the first record in the object. */
  first: number;
  count: number;
  body: Buffer;
}

export class PayloadTooLargeError extends Error {}

/**
 * Groups records into requests. SingleRecord: one record per request; MultiRecord: as many
 * consecutive records as fit in MaxPayloadInMB (0: no limit). A record bigger than the limit on
 * its own is an error, as on SageMaker.
 */
export function makeBatches(records: readonly Buffer[], split: SplitType, strategy: 'SingleRecord' | 'MultiRecord', maxPayloadMB: number): Batch[] {
  const limit = maxPayloadMB > 0 ? maxPayloadMB * 1024 * 1024 : Infinity;
  const sep = split === 'Line' ? 1 : 0;
  const out: Batch[] = [];
  let first = 0;
  let size = 0;
  const close = (end: number) => {
    if (end > first) out.push({ first, count: end - first, body: joinRecords(records.slice(first, end), split) });
    first = end;
    size = 0;
  };
  records.forEach((r, i) => {
    if (r.length > limit) throw new PayloadTooLargeError(`record ${i + 1} is ${r.length} bytes, larger than MaxPayloadInMB (${maxPayloadMB} MB)`);
    const add = (i > first ? sep : 0) + r.length;
    if (strategy === 'SingleRecord' || (i > first && size + add > limit)) {
      close(i);
      size = r.length;
    } else {
      size += add;
    }
  });
  close(records.length);
  return out;
}
