import { describe, expect, it } from 'vitest';
import { resource, uniqueKind, type ContractContext } from './harness.js';

/** Strings a client may send that PostgreSQL's text cannot hold as-is, and the escape characters Clary uses for them. */
const NASTY = ['a\u0000b', '\u0000', '\u0001', '\u0001\u0002', '\u0001\u0001', 'x\u0000\u0001\u0002y', '\\u0000', 'ok'];

export function nulTextContract(ctx: ContractContext): void {
  describe('U+0000 and control characters round-trip exactly', () => {
    it('in resource docs (tags, hyperparameters), on create and on update', async () => {
      const kind = uniqueKind('nul');
      const doc = {
        HyperParameters: { 'k\u0000': 'v\u0000w', esc: '\u0001\u0002' },
        Tags: [{ Key: 'team\u0000', Value: '\u0000' }],
        all: NASTY,
      };
      const created = await ctx.store().createResource(resource(kind, 'a', { doc }));
      expect(created.doc).toEqual(doc);
      expect((await ctx.store().getResource(kind, 'a'))!.doc).toEqual(doc);
      const updated = await ctx.store().updateResource(kind, 'a', 1, { doc: { ...doc, more: 'z\u0000' } });
      expect(updated!.doc).toEqual({ ...doc, more: 'z\u0000' });
      const page = await ctx.store().listResources({ kind });
      expect(page.items.map((r) => r.doc)).toEqual([{ ...doc, more: 'z\u0000' }]);
    });

    it('in log group and stream names and in messages, with prefix, contains and ordering intact', async () => {
      const g = `${uniqueKind('nul-logs')}\u0000g`;
      await ctx.store().ensureLogStream(g, 's\u0000', 1);
      await ctx.store().putLogEvents(g, 's\u0000', NASTY.map((message, i) => ({ timestamp: 10 + i, message })));
      const events = await ctx.store().queryLogEvents({ group: g, streams: ['s\u0000'], order: 'asc', limit: 100 });
      expect(events.map((e) => e.message)).toEqual(NASTY);
      expect(events.every((e) => e.stream === 's\u0000')).toBe(true);
      const withNul = await ctx.store().queryLogEvents({ group: g, contains: ['\u0000'], order: 'asc', limit: 100 });
      expect(withNul.map((e) => e.message)).toEqual(NASTY.filter((m) => m.includes('\u0000')));
      const prefixed = await ctx.store().queryLogEvents({ group: g, streamPrefix: 's\u0000', order: 'asc', limit: 100 });
      expect(prefixed).toHaveLength(NASTY.length);
      expect(await ctx.store().queryLogEvents({ group: g, streamPrefix: 's\u0001', order: 'asc', limit: 100 })).toEqual([]);
      expect((await ctx.store().getLogStream(g, 's\u0000'))!.storedBytes).toBe(NASTY.reduce((n, m) => n + Buffer.byteLength(m) + 26, 0));
      expect((await ctx.store().listLogStreams({ group: g, orderBy: 'LogStreamName', descending: false, offset: 0, limit: 10 })).map((s) => s.name)).toEqual([
        's\u0000',
      ]);

      // names sort by code point: U+0000 < U+0001 < U+0002 < 'a'
      const p = `/${uniqueKind('nul-order')}/`;
      const names = ['a', '\u0002', '\u0001\u0002', '\u0001', '\u0000\u0001', '\u0000', '\u0001\u0000'].map((n) => p + n);
      for (const n of names) await ctx.store().ensureLogGroup(n, 1);
      const listed = (await ctx.store().listLogGroups({ prefix: p, limit: 50 })).map((x) => x.name);
      expect(listed).toEqual([...names].sort());
      expect((await ctx.store().listLogGroups({ prefix: p, after: `${p}\u0000\u0001`, limit: 50 })).map((x) => x.name)).toEqual([...names].sort().slice(2));
    });

    it('in metric namespaces, names and dimensions', async () => {
      const ns = `${uniqueKind('NulNs')}\u0000`;
      const dimensions = [{ name: 'Endpoint\u0000', value: 'ep\u0000\u0001' }];
      const T = 1_700_000_040_000;
      await ctx.store().putMetricData([
        { namespace: ns, metricName: 'm\u0000', dimensions, timestamp: T, unit: 'None', sampleCount: 1, sum: 4, min: 4, max: 4 },
      ]);
      const series = await ctx.store().listMetricSeries({ namespace: ns, dimensions: [{ name: 'Endpoint\u0000', value: 'ep\u0000\u0001' }], limit: 10 });
      expect(series.map((s) => ({ ns: s.namespace, name: s.metricName, dims: s.dimensions }))).toEqual([{ ns, name: 'm\u0000', dims: dimensions }]);
      const stats = await ctx.store().getMetricStatistics({ namespace: ns, metricName: 'm\u0000', dimensions, startTime: T, endTime: T + 60_000, periodMs: 60_000 });
      expect(stats).toEqual([{ timestamp: T, unit: 'None', sampleCount: 1, sum: 4, min: 4, max: 4 }]);
    });

    it('in settings', async () => {
      const key = `${uniqueKind('nul-setting')}\u0000`;
      await ctx.store().setSetting(key, 'v\u0000\u0001');
      expect(await ctx.store().getSetting(key)).toBe('v\u0000\u0001');
    });
  });
}
