import type { MetadataStore } from '../store/metadata-store.js';

export interface MetricRetentionOptions {
  readonly store: MetadataStore;
  /** Default 15 days (CloudWatch keeps 1-minute data that long). */
  readonly retentionDays?: number;
  /** Default hourly. */
  readonly pruneIntervalMs?: number;
  readonly now?: () => number;
  readonly onError?: (err: unknown) => void;
}

export const DEFAULT_METRIC_RETENTION_DAYS = 15;

/** Deletes datapoints older than the retention on a timer (and once at start). */
export class MetricRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  readonly retentionMs: number;

  constructor(private readonly opts: MetricRetentionOptions) {
    this.retentionMs = (opts.retentionDays ?? DEFAULT_METRIC_RETENTION_DAYS) * 86_400_000;
  }

  /** Prunes now; returns how many datapoints went. */
  prune(): Promise<number> {
    const now = (this.opts.now ?? Date.now)();
    this.running ??= this.opts.store.pruneMetricData(now - this.retentionMs).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => void this.prune().catch(this.opts.onError ?? (() => {}));
    tick();
    this.timer = setInterval(tick, this.opts.pruneIntervalMs ?? 3_600_000);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }
}
