import { describe, expect, it } from 'vitest';
import { RECORDIO_MAGIC, recordIOSplits, wrapRecordIO } from './recordio.js';

const MAGIC = Buffer.alloc(4);
MAGIC.writeUInt32LE(RECORDIO_MAGIC);

/** dmlc's RecordIOWriter::WriteRecord on a whole buffer, written out plainly. */
function reference(data: Buffer): Buffer {
  const hdr = (cflag: number, n: number) => Buffer.concat([MAGIC, Buffer.from(new Uint32Array([((cflag << 29) | n) >>> 0]).buffer)]);
  const out: Buffer[] = [];
  let dptr = 0;
  for (let i = 0; i + 4 <= data.length; i += 4) {
    if (!data.subarray(i, i + 4).equals(MAGIC)) continue;
    out.push(hdr(dptr === 0 ? 1 : 2, i - dptr), data.subarray(dptr, i));
    dptr = i + 4;
  }
  out.push(hdr(dptr !== 0 ? 3 : 0, data.length - dptr), data.subarray(dptr), Buffer.alloc((4 - (data.length % 4)) % 4));
  return Buffer.concat(out);
}

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function wrap(data: Buffer, size: number): Promise<Buffer> {
  const split = await recordIOSplits(chunks(data, size));
  const out: Buffer[] = [];
  for await (const b of wrapRecordIO(chunks(data, size), split)) out.push(b);
  return Buffer.concat(out);
}

const CASES: Record<string, Buffer> = {
  empty: Buffer.alloc(0),
  plain: Buffer.from('hello, records'),
  'magic at 0 and at the end': Buffer.concat([MAGIC, Buffer.from('abcd'), MAGIC]),
  'magic twice in a row': Buffer.concat([Buffer.from('abcd'), MAGIC, MAGIC, Buffer.from('z')]),
  'magic not aligned': Buffer.concat([Buffer.from('ab'), MAGIC, Buffer.from('cd')]),
  'only magic': MAGIC,
};

describe('RecordIO wrapping (dmlc)', () => {
  for (const [name, data] of Object.entries(CASES)) {
    it(`${name}: the same bytes as dmlc's writer, whatever the chunk sizes`, async () => {
      for (const size of [1, 3, 4, 5, 7, 64]) expect(await wrap(data, size), `chunks of ${size}`).toEqual(reference(data));
    });
  }

  it('an object that changed between its two reads is an error, not a corrupt record', async () => {
    const split = await recordIOSplits(chunks(Buffer.from('12345678'), 3));
    const read = async () => {
      for await (const _ of wrapRecordIO(chunks(Buffer.from('123'), 3), split)) void _;
    };
    await expect(read()).rejects.toThrow('the object changed between its two reads');
  });
});
