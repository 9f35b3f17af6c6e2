/**
 * RecordWrapperType RecordIO (Pipe mode): each S3 object becomes one MXNet/dmlc RecordIO record,
 * as SageMaker wraps them. A record is `magic (0xced7230a, LE) · lrec (LE: cflag << 29 | length)
 * · data · zero padding to 4 bytes`. Where the magic word itself occurs in the data at a 4-byte
 * aligned offset, dmlc's writer splits the record there and drops those 4 bytes (cflag 1 = first
 * part, 2 = middle, 3 = last; readers put the magic back between the parts), so that a reader can
 * always resynchronise on the magic. Objects are streamed twice: once to find those offsets, once
 * to write, so nothing is held in memory.
 */
export const RECORDIO_MAGIC = 0xced7230a;
/** lrec has 29 bits of length. */
export const RECORDIO_MAX_PART = 2 ** 29 - 1;

/** The 4-byte aligned offsets at which the (little-endian) magic word occurs, and the length. */
export async function recordIOSplits(body: AsyncIterable<Buffer>): Promise<{ offsets: number[]; length: number }> {
  const offsets: number[] = [];
  let carry = Buffer.alloc(0);
  let base = 0;
  let length = 0;
  for await (const chunk of body) {
    length += chunk.length;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const whole = buf.length - (buf.length % 4);
    for (let i = 0; i < whole; i += 4) if (buf.readUInt32LE(i) === RECORDIO_MAGIC) offsets.push(base + i);
    carry = Buffer.from(buf.subarray(whole));
    base += whole;
  }
  return { offsets, length };
}

function header(cflag: number, length: number): Buffer {
  if (length > RECORDIO_MAX_PART) throw new Error(`an object part of ${length} bytes does not fit a RecordIO record (at most ${RECORDIO_MAX_PART})`);
  const b = Buffer.alloc(8);
  b.writeUInt32LE(RECORDIO_MAGIC, 0);
  b.writeUInt32LE(((cflag << 29) | length) >>> 0, 4);
  return b;
}

/** The object's bytes (the same ones recordIOSplits read) as one RecordIO record. */
export async function* wrapRecordIO(body: AsyncIterable<Buffer>, split: { offsets: readonly number[]; length: number }): AsyncGenerator<Buffer> {
  const parts: { start: number; end: number; cflag: number }[] = [];
  let dptr = 0;
  for (const o of split.offsets) {
    parts.push({ start: dptr, end: o, cflag: dptr === 0 ? 1 : 2 });
    dptr = o + 4;
  }
  parts.push({ start: dptr, end: split.length, cflag: split.offsets.length ? 3 : 0 });
  let p = 0;
  let pos = 0;
  yield header(parts[0]!.cflag, parts[0]!.end - parts[0]!.start);
  for await (const chunk of body) {
    let i = 0;
    while (i < chunk.length) {
      const part = parts[p]!;
      const at = pos + i;
      if (at < part.end) {
        const n = Math.min(chunk.length - i, part.end - at);
        yield chunk.subarray(i, i + n);
        i += n;
        continue;
      }
      const next = parts[p + 1];
      if (!next) throw new Error('the object changed between its two reads');
      // The magic word between two parts: left out.
      i += Math.min(chunk.length - i, next.start - at);
      if (pos + i === next.start) {
        p++;
        yield header(next.cflag, next.end - next.start);
      }
    }
    pos += chunk.length;
  }
  if (pos !== split.length || p !== parts.length - 1) throw new Error('the object changed between its two reads');
  const pad = (4 - (split.length % 4)) % 4;
  if (pad) yield Buffer.alloc(pad);
}
