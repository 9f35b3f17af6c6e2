import type { Logger } from '../core/logger.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { InvocationMetrics } from './invocation-metrics.js';
import { MetricRecorder } from './metric-recorder.js';
import { MetricRetention } from './retention.js';

/** Settings of Clary's metrics and autoscaler (startClary's `metrics` option; defaults as on AWS). */
export interface MetricsOptions {
  /** Recorder: how often aggregates are written (default 5 s). */
  readonly flushIntervalMs?: number;
  /** Recorder: aggregation bucket (default 60 s). */
  readonly resolutionMs?: number;
  /** Days of datapoints kept (default 15). */
  readonly retentionDays?: number;
  /** Autoscaler: evaluation interval (default 15 s). */
  readonly autoscalerIntervalMs?: number;
  /** Autoscaler: metric period (default 60 s). */
  readonly autoscalerPeriodSeconds?: number;
  /** Autoscaler: complete periods evaluated (default 1). */
  readonly autoscalerEvaluationPeriods?: number;
}

/** The running metric pieces: the recorder (flushing), retention (pruning) and the endpoint invocation observer. */
export class ClaryMetrics {
  readonly recorder: MetricRecorder;
  readonly retention: MetricRetention;
  readonly invocations: InvocationMetrics;

  constructor(store: MetadataStore, instanceCount: (endpoint: string, variant: string) => number | undefined, opts: MetricsOptions = {}, log?: Logger) {
    const onError = (what: string) => (err: unknown) => log?.error({ err }, what);
    this.recorder = new MetricRecorder({ store, flushIntervalMs: opts.flushIntervalMs, resolutionMs: opts.resolutionMs, onError: onError('metrics: cannot write datapoints') });
    this.retention = new MetricRetention({ store, retentionDays: opts.retentionDays, onError: onError('metrics: cannot prune old datapoints') });
    this.invocations = new InvocationMetrics(this.recorder, instanceCount);
  }

  start(): void {
    this.recorder.start();
    this.retention.start();
  }

  async close(): Promise<void> {
    await this.retention.close();
    await this.recorder.close();
  }
}
