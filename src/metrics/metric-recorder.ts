import type { MetadataStore, MetricDatum, MetricDimension } from '../store/metadata-store.js';
import { canonicalDimensions } from '../store/metric-rows.js';

export interface MetricRecorderOptions {
  readonly store: MetadataStore;
  /** How often aggregates go to the store (default 5 s). */
  readonly flushIntervalMs?: number;
  /** Aggregation bucket (default 60 s: CloudWatch's standard resolution; 1000 for high resolution). */
  readonly resolutionMs?: number;
  /** Epoch ms; a seam for tests. */
  readonly now?: () => number;
  /** Told when a flush fails (the batch is kept and retried at the next flush). */
  readonly onError?: (err: unknown) => void;
}

interface Aggregate {
  namespace: string;
  metricName: string;
  dimensions: readonly MetricDimension[];
  timestamp: number;
  unit: string;
  sampleCount: number;
  sum: number;
  min: number;
  max: number;
}

/** Beyond this many pending aggregates a failing store drops the oldest instead of growing without bound. */
const MAX_PENDING = 100_000;

/**
 * Clary's own metrics (e.g. endpoint invocations) recorded in process: every observation is
 * folded into a statistic set per (series, unit, bucket) in memory, and the sets go to the store
 * in one batch every few seconds — never a store write per observation (docs/metrics.md).
 */
export class MetricRecorder {
  private readonly store: MetadataStore;
  private readonly resolutionMs: number;
  private readonly flushIntervalMs: number;
  private readonly now: () => number;
  private readonly onError: (err: unknown) => void;
  private pending = new Map<string, Aggregate>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;

  constructor(opts: MetricRecorderOptions) {
    this.store = opts.store;
    this.resolutionMs = opts.resolutionMs ?? 60_000;
    this.flushIntervalMs = opts.flushIntervalMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    this.onError = opts.onError ?? (() => {});
  }

  /** One observation. */
  put(namespace: string, metricName: string, dimensions: readonly MetricDimension[], value: number, unit = 'None', timestamp = this.now()): void {
    this.putStatistics(namespace, metricName, dimensions, { sampleCount: 1, sum: value, min: value, max: value }, unit, timestamp);
  }

  /** A pre-aggregated statistic set. */
  putStatistics(
    namespace: string,
    metricName: string,
    dimensions: readonly MetricDimension[],
    stats: { sampleCount: number; sum: number; min: number; max: number },
    unit = 'None',
    timestamp = this.now(),
  ): void {
    if (![stats.sampleCount, stats.sum, stats.min, stats.max, timestamp].every(Number.isFinite)) return;
    const bucket = Math.floor(timestamp / this.resolutionMs) * this.resolutionMs;
    const key = JSON.stringify([namespace, metricName, canonicalDimensions(dimensions), unit, bucket]);
    const a = this.pending.get(key);
    if (a) {
      a.sampleCount += stats.sampleCount;
      a.sum += stats.sum;
      a.min = Math.min(a.min, stats.min);
      a.max = Math.max(a.max, stats.max);
      return;
    }
    if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(key, { namespace, metricName, dimensions: [...dimensions], timestamp: bucket, unit, ...stats });
  }

  /** Writes what is pending; concurrent calls share one write. A failed batch is merged back for the next try. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    // .finally runs after the assignment below even when there is nothing to write.
    const run = this.drain().finally(() => {
      if (this.flushing === run) this.flushing = undefined;
    });
    this.flushing = run;
    return run;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      try {
        await this.store.putMetricData([...batch.values()] as MetricDatum[]);
      } catch (e) {
        for (const a of batch.values()) this.putStatistics(a.namespace, a.metricName, a.dimensions, a, a.unit, a.timestamp);
        throw e;
      }
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush().catch(this.onError), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(this.onError);
  }
}
