import type { Logger } from '../core/logger.js';

/**
 * The heartbeat every level-triggered controller shares: `scan` runs once at start, on every
 * nudge (handlers call platform.changed(kind) after recording intent) and every `resyncMs`
 * anyway. Never two scans at once: a nudge during a scan runs exactly one more after it.
 */
export class ResyncLoop {
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private rescan = false;
  private halted = false;

  constructor(
    private readonly what: string,
    private readonly scan: () => Promise<void>,
    private readonly log: Logger,
    private readonly resyncMs: number,
  ) {}

  /** True once stop() was called: controllers then start no new work. */
  get stopped(): boolean {
    return this.halted;
  }

  start(): void {
    this.nudge();
    this.timer = setInterval(() => this.nudge(), this.resyncMs);
    this.timer.unref();
  }

  nudge(): void {
    if (this.halted) return;
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = this.scan()
      .catch((e: unknown) => this.log.error({ err: e }, `${this.what} scan failed`))
      .finally(() => {
        this.scanning = undefined;
        if (this.rescan) {
          this.rescan = false;
          this.nudge();
        }
      });
  }

  /** No more scans; resolves once the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.halted = true;
    if (this.timer) clearInterval(this.timer);
    await this.scanning;
  }
}
