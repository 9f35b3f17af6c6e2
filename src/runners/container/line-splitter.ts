import type { LineSink } from '../runner.js';

/** CloudWatch Logs' largest event is 256 KiB: a longer line is cut into pieces of this size. */
export const MAX_LINE_BYTES = 256 * 1024;

/**
 * Bytes of one stream → lines for a sink (no trailing newline, a trailing \r dropped). `offset`
 * counts the bytes of the lines delivered, starting at the cursor the reader resumed from.
 */
export class LineSplitter {
  private partial: Buffer = Buffer.alloc(0);
  private delivered: number;

  constructor(
    private readonly stream: 'stdout' | 'stderr',
    private readonly sink: LineSink | undefined,
    offset = 0,
  ) {
    this.delivered = offset;
  }

  get offset(): number {
    return this.delivered;
  }

  push(chunk: Buffer): void {
    let data = this.partial.length > 0 ? Buffer.concat([this.partial, chunk]) : chunk;
    for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10)) {
      this.emit(data.subarray(0, nl), nl + 1);
      data = data.subarray(nl + 1);
    }
    while (data.length >= MAX_LINE_BYTES) {
      this.emit(data.subarray(0, MAX_LINE_BYTES), MAX_LINE_BYTES);
      data = data.subarray(MAX_LINE_BYTES);
    }
    this.partial = Buffer.from(data);
  }

  /** Forgets bytes of an unfinished line (the reader is about to read again from `offset`). */
  dropPartial(): void {
    this.partial = Buffer.alloc(0);
  }

  /** The output has ended: a last line without a newline is delivered too. */
  end(): void {
    if (this.partial.length > 0) {
      const last = this.partial;
      this.partial = Buffer.alloc(0);
      this.emit(last, last.length);
    }
  }

  private emit(bytes: Buffer, consumed: number): void {
    this.delivered += consumed;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    try {
      this.sink?.({ stream: this.stream, text, timestamp: Date.now() });
    } catch {
      // a failing sink must not stop the reading
    }
  }
}
