import type { OutputCursor } from '../runner.js';

/**
 * Splits the Docker API's multiplexed log stream (no TTY): frames of an 8-byte header — stream
 * (1 stdout, 2 stderr), three zero bytes, payload length (uint32 big-endian) — then the payload.
 * Counts payload bytes per stream (the output cursor), and skips what lies before `from`, so a
 * reattach that replays the log from its start hands out only what is new.
 */
export class FrameDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  private readonly seen = { stdout: 0, stderr: 0 };

  constructor(
    private readonly onData: (stream: 'stdout' | 'stderr', chunk: Buffer) => void,
    private readonly from: OutputCursor = { stdout: 0, stderr: 0 },
  ) {}

  push(data: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      const type = buf[0];
      const payload = buf.subarray(8, 8 + size);
      buf = buf.subarray(8 + size);
      if (type !== 1 && type !== 2) continue;
      const stream = type === 1 ? 'stdout' : 'stderr';
      const before = this.seen[stream];
      this.seen[stream] += payload.length;
      const skip = Math.max(0, Math.min(payload.length, this.from[stream] - before));
      if (skip < payload.length) this.onData(stream, payload.subarray(skip));
    }
    this.pending = Buffer.from(buf);
  }
}
