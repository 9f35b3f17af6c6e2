import { watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { LineSink } from '../runner.js';

/** CloudWatch Logs' largest event is 256 KiB: a longer line is cut into pieces of this size. */
export const MAX_LINE_BYTES = 256 * 1024;
const CHUNK = 64 * 1024;

/**
 * Follows a file an instance writes (its stdout or stderr) and hands each complete line to a sink.
 * inotify (fs.watch) makes new output show up at once; a slow poll covers missed events. `offset`
 * counts the bytes of lines already delivered, so a reader can resume exactly there.
 */
export class LineTailer {
  private fh: FileHandle | undefined;
  private readPos: number;
  private delivered: number;
  private partial: Buffer = Buffer.alloc(0);
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  private queued = false;
  private stopped = false;

  constructor(
    private readonly path: string,
    private readonly stream: 'stdout' | 'stderr',
    private readonly sink: LineSink | undefined,
    offset = 0,
    private readonly pollMs = 250,
  ) {
    this.readPos = offset;
    this.delivered = offset;
  }

  get offset(): number {
    return this.delivered;
  }

  start(): void {
    if (!this.sink) return;
    try {
      this.watcher = watch(this.path, () => this.kick());
      this.watcher.on('error', () => undefined);
    } catch {
      // the poll still runs
    }
    this.timer = setInterval(() => this.kick(), this.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Reads everything written so far; with final, a last line without a newline is delivered too. */
  async drain(final = false): Promise<void> {
    if (!this.sink) return;
    this.chain = this.chain.then(() => this.readAll(final));
    await this.chain;
  }

  /** Stops following (pending reads finish). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    await this.chain;
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }

  private kick(): void {
    if (this.queued || this.stopped) return;
    this.queued = true;
    this.chain = this.chain.then(async () => {
      this.queued = false;
      if (!this.stopped) await this.readAll(false);
    });
  }

  private async readAll(final: boolean): Promise<void> {
    try {
      this.fh ??= await open(this.path, 'r');
    } catch {
      return; // not created yet
    }
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await this.fh.read(buf, 0, CHUNK, this.readPos);
      if (bytesRead === 0) break;
      this.readPos += bytesRead;
      this.split(Buffer.concat([this.partial, buf.subarray(0, bytesRead)]));
    }
    if (final && this.partial.length > 0) this.emit(this.partial, this.partial.length);
  }

  private split(data: Buffer): void {
    let start = 0;
    for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
      this.emit(data.subarray(start, nl), nl + 1 - start);
      start = nl + 1;
    }
    let rest = data.subarray(start);
    while (rest.length >= MAX_LINE_BYTES) {
      this.emit(rest.subarray(0, MAX_LINE_BYTES), MAX_LINE_BYTES);
      rest = rest.subarray(MAX_LINE_BYTES);
    }
    this.partial = Buffer.from(rest);
  }

  private emit(bytes: Buffer, consumed: number): void {
    this.delivered += consumed;
    if (bytes === this.partial) this.partial = Buffer.alloc(0);
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    try {
      this.sink?.({ stream: this.stream, text, timestamp: Date.now() });
    } catch {
      // a failing sink must not stop the reading
    }
  }
}
