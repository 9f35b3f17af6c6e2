import { describe, expect, it } from 'vitest';
import type { MetricDatum } from '../metric-rows.js';
import { uniqueKind, type ContractContext } from './harness.js';

const T0 = 1_700_000_040_000; // a whole minute
const point = (ns: string, over: Partial<MetricDatum> = {}): MetricDatum => ({
  namespace: ns,
  metricName: 'Invocations',
  dimensions: [
    { name: 'EndpointName', value: 'ep' },
    { name: 'VariantName', value: 'AllTraffic' },
  ],
  timestamp: T0,
  unit: 'None',
  sampleCount: 1,
  sum: 1,
  min: 1,
  max: 1,
  ...over,
});

export function metricsContract(ctx: ContractContext): void {
  describe('metrics', () => {
    it('aggregates statistic sets per period from the start time, per unit, with exact dimensions', async () => {
      const ns = uniqueKind('Stats');
      await ctx.store().putMetricData([
        point(ns, { timestamp: T0, sum: 3, sampleCount: 2, min: 1, max: 2 }),
        point(ns, { timestamp: T0 + 59_999, sum: 10, sampleCount: 1, min: 10, max: 10 }),
        point(ns, { timestamp: T0 + 60_000, sum: 5, sampleCount: 5, min: 0.5, max: 1.5 }),
        // dimensions given in another order are the same series
        point(ns, { timestamp: T0 + 120_000, dimensions: [{ name: 'VariantName', value: 'AllTraffic' }, { name: 'EndpointName', value: 'ep' }], sum: 7, min: 7, max: 7 }),
        point(ns, { timestamp: T0 + 120_000, unit: 'Count', sum: 100, min: 100, max: 100 }),
        // another series (a subset of the dimensions) never mixes in
        point(ns, { timestamp: T0, dimensions: [{ name: 'EndpointName', value: 'ep' }], sum: 1000, min: 1000, max: 1000 }),
        point(ns, { timestamp: T0 + 180_000, sum: 9, min: 9, max: 9 }), // at the exclusive end
      ]);
      const q = { namespace: ns, metricName: 'Invocations', dimensions: point(ns).dimensions, startTime: T0, endTime: T0 + 180_000, periodMs: 60_000 };
      expect(await ctx.store().getMetricStatistics(q)).toEqual([
        { timestamp: T0, unit: 'None', sampleCount: 3, sum: 13, min: 1, max: 10 },
        { timestamp: T0 + 60_000, unit: 'None', sampleCount: 5, sum: 5, min: 0.5, max: 1.5 },
        { timestamp: T0 + 120_000, unit: 'Count', sampleCount: 1, sum: 100, min: 100, max: 100 },
        { timestamp: T0 + 120_000, unit: 'None', sampleCount: 1, sum: 7, min: 7, max: 7 },
      ]);
      expect(await ctx.store().getMetricStatistics({ ...q, unit: 'Count' })).toEqual([{ timestamp: T0 + 120_000, unit: 'Count', sampleCount: 1, sum: 100, min: 100, max: 100 }]);
      // one period over everything; a start that is not on a period boundary
      expect(await ctx.store().getMetricStatistics({ ...q, periodMs: 300_000, unit: 'None' })).toEqual([{ timestamp: T0, unit: 'None', sampleCount: 9, sum: 25, min: 0.5, max: 10 }]);
      expect((await ctx.store().getMetricStatistics({ ...q, startTime: T0 + 30_000 })).map((b) => [b.timestamp - T0, b.sum])).toEqual([
        [30_000, 15],
        [90_000, 100],
        [90_000, 7],
      ]);
      expect(await ctx.store().getMetricStatistics({ ...q, dimensions: [] })).toEqual([]);
      expect(await ctx.store().getMetricStatistics({ ...q, dimensions: [{ name: 'EndpointName', value: 'ep' }] })).toEqual([
        { timestamp: T0, unit: 'None', sampleCount: 1, sum: 1000, min: 1000, max: 1000 },
      ]);
    });

    it('lists series by namespace, name and dimension filters, paging by id', async () => {
      const ns = uniqueKind('List');
      const dims = (e: string, v?: string) => [{ name: 'EndpointName', value: e }, ...(v ? [{ name: 'VariantName', value: v }] : [])];
      await ctx.store().putMetricData([
        point(ns, { metricName: 'A', dimensions: dims('e1', 'v1') }),
        point(ns, { metricName: 'B', dimensions: dims('e1', 'v1') }),
        point(ns, { metricName: 'A', dimensions: dims('e2', 'v1'), timestamp: T0 + 5_000 }),
        point(ns, { metricName: 'A', dimensions: dims('e1') }),
        point(ns, { metricName: 'A', dimensions: [] }),
        point(ns, { metricName: 'A', dimensions: dims('e1', 'v1'), timestamp: T0 + 9_000 }), // same series again
      ]);
      const list = async (q: Parameters<ReturnType<ContractContext['store']>['listMetricSeries']>[0]) =>
        (await ctx.store().listMetricSeries(q)).map((s) => `${s.metricName}:${s.dimensions.map((d) => `${d.name}=${d.value}`).join(',')}`);
      expect(await list({ namespace: ns, limit: 50 })).toEqual(['A:EndpointName=e1,VariantName=v1', 'B:EndpointName=e1,VariantName=v1', 'A:EndpointName=e2,VariantName=v1', 'A:EndpointName=e1', 'A:']);
      expect(await list({ namespace: ns, metricName: 'B', limit: 50 })).toEqual(['B:EndpointName=e1,VariantName=v1']);
      expect(await list({ namespace: ns, dimensions: [{ name: 'VariantName' }], limit: 50 })).toHaveLength(3);
      expect(await list({ namespace: ns, metricName: 'A', dimensions: [{ name: 'EndpointName', value: 'e1' }], limit: 50 })).toEqual(['A:EndpointName=e1,VariantName=v1', 'A:EndpointName=e1']);
      expect(await list({ namespace: ns, dimensions: [{ name: 'EndpointName', value: 'e1' }, { name: 'VariantName', value: 'v1' }], limit: 50 })).toHaveLength(2);
      expect(await list({ namespace: ns, activeSince: T0 + 5_000, limit: 50 })).toEqual(['A:EndpointName=e1,VariantName=v1', 'A:EndpointName=e2,VariantName=v1']);
      const first = await ctx.store().listMetricSeries({ namespace: ns, limit: 2 });
      expect(first).toHaveLength(2);
      expect(first[0]!.lastTimestamp).toBe(T0 + 9_000);
      const rest = await ctx.store().listMetricSeries({ namespace: ns, afterId: first[1]!.id, limit: 50 });
      expect(rest.map((s) => s.id).every((id) => id > first[1]!.id)).toBe(true);
      expect(rest).toHaveLength(3);
    });

    it('prunes points and series older than the retention cut-off', async () => {
      const f = await ctx.fresh();
      const store = f.store;
      await store.migrate();
      await store.putMetricData([
        point('P', { metricName: 'Old', timestamp: T0 }),
        point('P', { metricName: 'Both', timestamp: T0 }),
        point('P', { metricName: 'Both', timestamp: T0 + 120_000 }),
      ]);
      expect(await store.pruneMetricData(T0 + 60_000)).toBe(2);
      expect((await store.listMetricSeries({ namespace: 'P', limit: 50 })).map((s) => s.metricName)).toEqual(['Both']);
      const q = { namespace: 'P', metricName: 'Both', dimensions: point('P').dimensions, startTime: T0 - 60_000, endTime: T0 + 600_000, periodMs: 60_000 };
      expect((await store.getMetricStatistics(q)).map((b) => b.timestamp)).toEqual([T0 + 120_000]);
      // a series that gets new data after a prune keeps working
      await store.putMetricData([point('P', { metricName: 'Old', timestamp: T0 + 180_000, sum: 4, min: 4, max: 4 })]);
      expect(await store.getMetricStatistics({ ...q, metricName: 'Old' })).toEqual([{ timestamp: T0 + 180_000, unit: 'None', sampleCount: 1, sum: 4, min: 4, max: 4 }]);
    });

    it('keeps every point of a batch written from two connections at once', async () => {
      const ns = uniqueKind('Concurrent');
      const other = await ctx.another();
      const batch = (n: number) => Array.from({ length: 50 }, (_, i) => point(ns, { timestamp: T0 + i * 1000, sum: n, min: n, max: n }));
      await Promise.all([ctx.store().putMetricData(batch(1)), other.putMetricData(batch(2)), ctx.store().putMetricData(batch(3))]);
      const [b] = await ctx.store().getMetricStatistics({ namespace: ns, metricName: 'Invocations', dimensions: point(ns).dimensions, startTime: T0, endTime: T0 + 60_000, periodMs: 60_000 });
      expect(b).toEqual({ timestamp: T0, unit: 'None', sampleCount: 150, sum: 300, min: 1, max: 3 });
      expect(await ctx.store().listMetricSeries({ namespace: ns, limit: 10 })).toHaveLength(1);
    });
  });
}
