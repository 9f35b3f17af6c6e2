import type { Logger } from '../../core/logger.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * Where reading has got to, taken when a batch leaves and saved once the batch is stored, so a
 * restarted Clary continues the output after the last stored line instead of replaying it.
 */
export interface ShipperCheckpoint<C> {
  take(): C | undefined;
  save(mark: C): Promise<unknown>;
}

/**
 * Ships an instance's output lines to CloudWatch Logs (the store), batched: at most every
 * `intervalMs` or `maxBatch` lines, never per line. flush() waits for everything so far.
 */
export class LogShipper<C = unknown> {
  private buffer: { timestamp: number; message: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void>;

  constructor(
    private readonly store: MetadataStore,
    private readonly group: string,
    private readonly stream: string,
    private readonly log: Logger,
    private readonly intervalMs = 200,
    private readonly maxBatch = 500,
    private readonly checkpoint?: ShipperCheckpoint<C>,
  ) {
    this.chain = store.ensureLogStream(group, stream, Date.now()).catch((e: unknown) => log.error({ err: e }, 'cannot create log stream'));
  }

  push(timestamp: number, message: string): void {
    // CloudWatch keeps events in order; a line read late keeps the time it was read.
    const last = this.buffer[this.buffer.length - 1];
    this.buffer.push({ timestamp: last && last.timestamp > timestamp ? last.timestamp : timestamp, message: message.length > 256 * 1024 ? message.slice(0, 256 * 1024) : message });
    if (this.buffer.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.buffer;
    this.buffer = [];
    if (batch.length > 0) {
      // Every line handed to push() so far is in this batch or an earlier one: the mark covers them.
      const mark = this.checkpoint?.take();
      this.chain = this.chain.then(async () => {
        try {
          await this.store.putLogEvents(this.group, this.stream, batch);
        } catch (e) {
          this.log.error({ err: e }, 'cannot store log events');
          return;
        }
        if (mark !== undefined) await this.checkpoint!.save(mark).catch((e: unknown) => this.log.error({ err: e }, 'cannot save the output cursor'));
      });
    }
    return this.chain;
  }
}
