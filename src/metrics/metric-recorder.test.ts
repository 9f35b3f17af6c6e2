import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { MetadataStore, MetricDatum } from '../store/metadata-store.js';
import { MetricRecorder } from './metric-recorder.js';
import { MetricRetention } from './retention.js';

const T0 = 1_700_000_040_000;
const dims = [{ name: 'EndpointName', value: 'ep' }];
let store: MetadataStore;
beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.migrate();
});
afterEach(async () => {
  await store.close();
});

const stats = (metricName: string, startTime = T0, periodMs = 60_000) =>
  store.getMetricStatistics({ namespace: 'Test', metricName, dimensions: dims, startTime, endTime: startTime + 10 * periodMs, periodMs });

describe('MetricRecorder', () => {
  it('folds observations into one statistic set per minute and writes them in one batch at flush', async () => {
    const writes: number[] = [];
    const counting: MetadataStore = { ...store, putMetricData: async (d: readonly MetricDatum[]) => (writes.push(d.length), store.putMetricData(d)) };
    const rec = new MetricRecorder({ store: counting });
    for (let i = 0; i < 1000; i++) rec.put('Test', 'Latency', dims, i % 10, 'Microseconds', T0 + i * 50); // 50 s: one minute
    rec.put('Test', 'Latency', dims, 100, 'Microseconds', T0 + 60_000); // the next minute
    rec.put('Test', 'Latency', [{ name: 'EndpointName', value: 'ep' }], 7, 'Milliseconds', T0 + 1); // another unit
    expect(writes).toEqual([]);
    expect(await stats('Latency')).toEqual([]);
    await rec.flush();
    expect(writes).toEqual([3]);
    expect(await stats('Latency')).toEqual([
      { timestamp: T0, unit: 'Microseconds', sampleCount: 1000, sum: 4500, min: 0, max: 9 },
      { timestamp: T0, unit: 'Milliseconds', sampleCount: 1, sum: 7, min: 7, max: 7 },
      { timestamp: T0 + 60_000, unit: 'Microseconds', sampleCount: 1, sum: 100, min: 100, max: 100 },
    ]);
    await rec.flush();
    expect(writes).toEqual([3]); // nothing pending, nothing written
  });

  it('aggregates per second at high resolution and merges statistic sets', async () => {
    const rec = new MetricRecorder({ store, resolutionMs: 1000 });
    rec.put('Test', 'X', dims, 1, 'Count', T0 + 10);
    rec.putStatistics('Test', 'X', dims, { sampleCount: 4, sum: 10, min: -1, max: 5 }, 'Count', T0 + 999);
    rec.put('Test', 'X', dims, 2, 'Count', T0 + 1000);
    await rec.close();
    expect(await stats('X', T0, 1000)).toEqual([
      { timestamp: T0, unit: 'Count', sampleCount: 5, sum: 11, min: -1, max: 5 },
      { timestamp: T0 + 1000, unit: 'Count', sampleCount: 1, sum: 2, min: 2, max: 2 },
    ]);
  });

  it('keeps a batch the store refused and writes it with the next flush', async () => {
    let fail = true;
    const flaky: MetadataStore = { ...store, putMetricData: async (d: readonly MetricDatum[]) => (fail ? Promise.reject(new Error('db down')) : store.putMetricData(d)) };
    const rec = new MetricRecorder({ store: flaky });
    rec.put('Test', 'Y', dims, 3, 'Count', T0);
    await expect(rec.flush()).rejects.toThrow('db down');
    rec.put('Test', 'Y', dims, 4, 'Count', T0 + 5);
    fail = false;
    await rec.flush();
    expect(await stats('Y')).toEqual([{ timestamp: T0, unit: 'Count', sampleCount: 2, sum: 7, min: 3, max: 4 }]);
  });

  it('flushes what arrives after a flush that had nothing to write', async () => {
    const rec = new MetricRecorder({ store });
    await rec.flush();
    await rec.flush();
    rec.put('Test', 'Late', dims, 5, 'Count', T0);
    await rec.flush();
    expect(await stats('Late')).toEqual([{ timestamp: T0, unit: 'Count', sampleCount: 1, sum: 5, min: 5, max: 5 }]);
  });

  it('ignores non-finite observations', async () => {
    const rec = new MetricRecorder({ store });
    rec.put('Test', 'Z', dims, Number.NaN, 'Count', T0);
    rec.put('Test', 'Z', dims, Infinity, 'Count', T0);
    await rec.flush();
    expect(await stats('Z')).toEqual([]);
  });
});

describe('MetricRetention', () => {
  it('prunes data older than the retention', async () => {
    const day = 86_400_000;
    await store.putMetricData([
      { namespace: 'Test', metricName: 'R', dimensions: dims, timestamp: T0, unit: 'None', sampleCount: 1, sum: 1, min: 1, max: 1 },
      { namespace: 'Test', metricName: 'R', dimensions: dims, timestamp: T0 + 9 * day, unit: 'None', sampleCount: 1, sum: 2, min: 2, max: 2 },
    ]);
    const retention = new MetricRetention({ store, now: () => T0 + 16 * day });
    expect(await retention.prune()).toBe(1);
    expect((await stats('R', T0, day)).map((b) => b.sum)).toEqual([2]);
    await retention.close();
  });
});
