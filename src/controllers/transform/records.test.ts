import { describe, expect, it } from 'vitest';
import { makeBatches } from './batches.js';
import { recordIoFrame, splitRecords } from './records.js';

const b = (s: string) => Buffer.from(s);

describe('splitting and batching records', () => {
  it('Line: split at newlines, CRLF and blank lines handled; None: the whole object', () => {
    expect(splitRecords(b('a\r\nb\n\nc'), 'Line').map(String)).toEqual(['a', 'b', 'c']);
    expect(splitRecords(b('a\nb\n'), 'None').map(String)).toEqual(['a\nb\n']);
  });

  it('RecordIO: one record per frame, framing kept; a broken frame is an error', () => {
    const frames = [recordIoFrame(b('hello')), recordIoFrame(b('four')), recordIoFrame(b(''))];
    const records = splitRecords(Buffer.concat(frames), 'RecordIO');
    expect(records).toEqual(frames);
    expect(() => splitRecords(b('not recordio'), 'RecordIO')).toThrow(/RecordIO/);
  });

  it('MultiRecord fills requests up to MaxPayloadInMB; SingleRecord sends one each; an oversized record is refused', () => {
    const rec = Buffer.alloc(400 * 1024, 0x31);
    const multi = makeBatches([rec, rec, rec, rec, rec], 'Line', 'MultiRecord', 1);
    expect(multi.map((x) => [x.first, x.count])).toEqual([[0, 2], [2, 2], [4, 1]]);
    expect(multi[0]!.body.length).toBe(2 * rec.length + 1);
    expect(makeBatches([b('1'), b('2')], 'Line', 'MultiRecord', 6).map((x) => String(x.body))).toEqual(['1\n2']);
    expect(makeBatches([b('1'), b('2')], 'Line', 'SingleRecord', 6).map((x) => String(x.body))).toEqual(['1', '2']);
    expect(() => makeBatches([Buffer.alloc(2 * 1024 * 1024)], 'None', 'MultiRecord', 1)).toThrow(/MaxPayloadInMB/);
    expect(makeBatches([Buffer.alloc(2 * 1024 * 1024)], 'None', 'MultiRecord', 0)).toHaveLength(1);
  });
});
