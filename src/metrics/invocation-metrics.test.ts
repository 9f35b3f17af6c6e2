import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvocationObserver } from '../controllers/hosting/invocation-observer.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { InvocationMetrics, SAGEMAKER_NAMESPACE } from './invocation-metrics.js';
import { MetricRecorder } from './metric-recorder.js';

let store: MetadataStore;
beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.migrate();
});
afterEach(async () => {
  await store.close();
});

const T0 = 1_700_000_040_000;
const dims = [
  { name: 'EndpointName', value: 'ep' },
  { name: 'VariantName', value: 'v1' },
];
const stat = async (metricName: string) => {
  const [b] = await store.getMetricStatistics({ namespace: SAGEMAKER_NAMESPACE, metricName, dimensions: dims, startTime: T0, endTime: T0 + 60_000, periodMs: 60_000 });
  return b && { unit: b.unit, n: b.sampleCount, sum: b.sum, min: b.min, max: b.max };
};

describe('InvocationMetrics', () => {
  it('records SageMaker invocation metrics per minute with their names, units and per-instance share', async () => {
    const recorder = new MetricRecorder({ store, now: () => T0 + 5_000 });
    let instances = 2;
    const observer: InvocationObserver = new InvocationMetrics(recorder, (e, v) => (e === 'ep' && v === 'v1' ? instances : undefined));
    observer.observe('ep', 'v1', { modelLatencyMicros: 1000, overheadLatencyMicros: 50, status: 200 });
    observer.observe('ep', 'v1', { modelLatencyMicros: 3000, overheadLatencyMicros: 70, status: 200 });
    instances = 4;
    observer.observe('ep', 'v1', { modelLatencyMicros: 2000, overheadLatencyMicros: 60, status: 404 });
    observer.observe('ep', 'v1', { modelLatencyMicros: 5000, overheadLatencyMicros: 90, status: 503 });
    observer.observe('ep', 'v1', { modelLatencyMicros: 60_000_000, overheadLatencyMicros: 80, status: 0 });
    await recorder.flush();
    expect(await stat('Invocations')).toEqual({ unit: 'None', n: 5, sum: 5, min: 1, max: 1 });
    expect(await stat('InvocationsPerInstance')).toEqual({ unit: 'None', n: 5, sum: 0.5 + 0.5 + 0.25 * 3, min: 0.25, max: 0.5 });
    expect(await stat('ModelLatency')).toEqual({ unit: 'Microseconds', n: 5, sum: 60_011_000, min: 1000, max: 60_000_000 });
    expect(await stat('OverheadLatency')).toEqual({ unit: 'Microseconds', n: 5, sum: 350, min: 50, max: 90 });
    expect(await stat('Invocation4XXErrors')).toEqual({ unit: 'None', n: 5, sum: 1, min: 0, max: 1 });
    expect(await stat('Invocation5XXErrors')).toEqual({ unit: 'None', n: 5, sum: 2, min: 0, max: 1 });
    expect(await stat('InvocationModelErrors')).toEqual({ unit: 'None', n: 5, sum: 3, min: 0, max: 1 });
    expect((await store.listMetricSeries({ namespace: SAGEMAKER_NAMESPACE, limit: 50 })).map((s) => s.metricName).sort()).toEqual(
      ['Invocation4XXErrors', 'Invocation5XXErrors', 'InvocationModelErrors', 'Invocations', 'InvocationsPerInstance', 'ModelLatency', 'OverheadLatency'],
    );
  });
});
