import { describe, expect, it } from 'vitest';
import { FrameDemuxer } from './frame-demuxer.js';
import { LineSplitter } from './line-splitter.js';

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

function run(data: Buffer[], from = { stdout: 0, stderr: 0 }) {
  const lines: string[] = [];
  const out = new LineSplitter('stdout', (l) => lines.push(`out:${l.text}`), from.stdout);
  const err = new LineSplitter('stderr', (l) => lines.push(`err:${l.text}`), from.stderr);
  const d = new FrameDemuxer((s, c) => (s === 'stdout' ? out : err).push(c), from);
  for (const b of data) d.push(b);
  out.end();
  err.end();
  return { lines, cursor: { stdout: out.offset, stderr: err.offset } };
}

describe("the Docker API's multiplexed log stream", () => {
  const stream = Buffer.concat([frame(1, 'one\ntw'), frame(2, 'e1\n'), frame(1, 'o\nthree'), frame(2, 'e2\n')]);

  it('splits into lines per stream, whatever the chunking, and counts bytes', () => {
    const whole = run([stream]);
    expect(whole.lines).toEqual(['out:one', 'err:e1', 'out:two', 'err:e2', 'out:three']);
    expect(whole.cursor).toEqual({ stdout: 13, stderr: 6 });
    const bytewise = run([...stream].map((b) => Buffer.from([b])));
    expect(bytewise.lines).toEqual(whole.lines);
  });

  it('resumes after a cursor without repeating a line', () => {
    expect(run([stream], { stdout: 4, stderr: 3 }).lines).toEqual(['out:two', 'err:e2', 'out:three']);
    expect(run([stream], { stdout: 8, stderr: 6 }).lines).toEqual(['out:three']);
  });
});
