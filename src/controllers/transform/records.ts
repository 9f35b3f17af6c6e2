/** How TransformInput.SplitType cuts an input object into records (TFRecord is refused at create). */
export type SplitType = 'None' | 'Line' | 'RecordIO';

const RECORDIO_MAGIC = 0xced7230a;

export class RecordError extends Error {}

/**
 * The records of one input object. Line: split at "\n" (a trailing "\r" is dropped, blank lines
 * are skipped); RecordIO: MXNet RecordIO frames (magic, length word, data, padding to 4 bytes),
 * each record kept with its framing, as SageMaker sends RecordIO records; None: the whole object.
 */
export function splitRecords(body: Buffer, split: SplitType): Buffer[] {
  if (split === 'None') return body.length === 0 ? [] : [body];
  if (split === 'Line') {
    const out: Buffer[] = [];
    let start = 0;
    for (;;) {
      const nl = body.indexOf(0x0a, start);
      const end = nl < 0 ? body.length : nl;
      let line = body.subarray(start, end);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
      if (line.length > 0) out.push(line);
      if (nl < 0) return out;
      start = nl + 1;
    }
  }
  const out: Buffer[] = [];
  let pos = 0;
  while (pos < body.length) {
    if (pos + 8 > body.length || body.readUInt32LE(pos) !== RECORDIO_MAGIC) throw new RecordError(`not a RecordIO record at byte ${pos}`);
    const len = body.readUInt32LE(pos + 4) & 0x1fffffff;
    const end = pos + 8 + len + ((4 - (len % 4)) % 4);
    if (pos + 8 + len > body.length) throw new RecordError(`truncated RecordIO record at byte ${pos}`);
    out.push(body.subarray(pos, Math.min(end, body.length)));
    pos = end;
  }
  return out;
}

/** The body of one request holding several records: Line records joined with "\n", others concatenated. */
export function joinRecords(records: readonly Buffer[], split: SplitType): Buffer {
  if (split !== 'Line') return Buffer.concat(records);
  const parts: Buffer[] = [];
  records.forEach((r, i) => {
    if (i > 0) parts.push(NEWLINE);
    parts.push(r);
  });
  return Buffer.concat(parts);
}

const NEWLINE = Buffer.from('\n');

/** One RecordIO frame around `data` (for tests and tools). */
export function recordIoFrame(data: Buffer): Buffer {
  const pad = (4 - (data.length % 4)) % 4;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(RECORDIO_MAGIC, 0);
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(pad)]);
}
