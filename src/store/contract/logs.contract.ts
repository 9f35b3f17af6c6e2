import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import type { LogEventQuery } from '../metadata-store.js';
import { uniqueKind, type ContractContext } from './harness.js';

const bytes = (messages: string[]) => messages.reduce((n, m) => n + Buffer.byteLength(m) + 26, 0);

export function logsContract(ctx: ContractContext): void {
  describe('log groups and streams', () => {
    it('ensures groups idempotently, keeping the first creation time', async () => {
      const g = `/aws/sagemaker/${uniqueKind('TrainingJobs')}`;
      await ctx.store().ensureLogGroup(g, 1000);
      await ctx.store().ensureLogGroup(g, 2000);
      expect(await ctx.store().getLogGroup(g)).toEqual({ name: g, createdAt: 1000, retentionInDays: null, storedBytes: 0 });
      expect(await ctx.store().getLogGroup(`${g}-nope`)).toBeUndefined();
    });

    it('ensures a stream (and its group) idempotently', async () => {
      const g = uniqueKind('grp');
      await ctx.store().ensureLogStream(g, 'job/algo-1', 5000);
      await ctx.store().ensureLogStream(g, 'job/algo-1', 6000);
      expect(await ctx.store().getLogGroup(g)).toMatchObject({ name: g, createdAt: 5000 });
      expect(await ctx.store().getLogStream(g, 'job/algo-1')).toEqual({
        group: g,
        name: 'job/algo-1',
        createdAt: 5000,
        firstEventTimestamp: null,
        lastEventTimestamp: null,
        lastIngestionTime: null,
        storedBytes: 0,
      });
      expect(await ctx.store().getLogStream(g, 'other')).toBeUndefined();
    });

    it('lists groups by name with prefix, after and limit', async () => {
      const p = `/${uniqueKind('lg')}/`;
      const names = ['b', 'a', 'A', 'c/x', 'c/y'].map((n) => p + n);
      for (const n of names) await ctx.store().ensureLogGroup(n, 1);
      const list = async (opts: { prefix?: string; after?: string; limit: number }) => (await ctx.store().listLogGroups(opts)).map((g) => g.name.slice(p.length));
      expect(await list({ prefix: p, limit: 50 })).toEqual(['A', 'a', 'b', 'c/x', 'c/y']);
      expect(await list({ prefix: p, limit: 2 })).toEqual(['A', 'a']);
      expect(await list({ prefix: p, after: `${p}a`, limit: 2 })).toEqual(['b', 'c/x']);
      expect(await list({ prefix: `${p}c/`, limit: 50 })).toEqual(['c/x', 'c/y']);
      expect(await list({ prefix: `${p}B`, limit: 50 })).toEqual([]); // prefixes are case-sensitive
      expect(await list({ prefix: `${p}%`, limit: 50 })).toEqual([]);
    });

    it('lists streams by name or last event time, both directions, with offset paging', async () => {
      const g = uniqueKind('streams');
      for (const s of ['s-b', 's-a', 's-c', 'other', 'S-d']) await ctx.store().ensureLogStream(g, s, 1);
      await ctx.store().putLogEvents(g, 's-a', [{ timestamp: 300, message: 'x' }]);
      await ctx.store().putLogEvents(g, 's-c', [{ timestamp: 100, message: 'x' }]);
      await ctx.store().putLogEvents(g, 'other', [{ timestamp: 200, message: 'x' }]);
      const names = async (o: { prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; offset?: number; limit?: number }) =>
        (await ctx.store().listLogStreams({ group: g, offset: 0, limit: 50, ...o })).map((s) => s.name);
      expect(await names({ orderBy: 'LogStreamName', descending: false })).toEqual(['S-d', 'other', 's-a', 's-b', 's-c']);
      expect(await names({ orderBy: 'LogStreamName', descending: true })).toEqual(['s-c', 's-b', 's-a', 'other', 'S-d']);
      expect(await names({ orderBy: 'LogStreamName', descending: false, prefix: 's-' })).toEqual(['s-a', 's-b', 's-c']);
      expect(await names({ orderBy: 'LogStreamName', descending: false, offset: 1, limit: 2 })).toEqual(['other', 's-a']);
      // streams without events sort as the oldest
      expect(await names({ orderBy: 'LastEventTime', descending: true })).toEqual(['s-a', 'other', 's-c', 's-b', 'S-d']);
      expect(await names({ orderBy: 'LastEventTime', descending: false })).toEqual(['S-d', 's-b', 's-c', 'other', 's-a']);
      expect(await names({ orderBy: 'LastEventTime', descending: true, offset: 4, limit: 5 })).toEqual(['S-d']);
      expect(await ctx.store().listLogStreams({ group: uniqueKind('nogroup'), orderBy: 'LogStreamName', descending: false, offset: 0, limit: 5 })).toEqual([]);
    });
  });

  describe('log events', () => {
    it('appends events, stamping ingestion time and updating stream and group stats', async () => {
      const g = uniqueKind('events');
      await ctx.store().ensureLogStream(g, 'a', 1);
      const before = Date.now();
      await ctx.store().putLogEvents(g, 'a', [
        { timestamp: 500, message: 'hello' },
        { timestamp: 400, message: 'żółw' },
      ]);
      await ctx.store().putLogEvents(g, 'a', [{ timestamp: 900, message: 'later' }]);
      await ctx.store().putLogEvents(g, 'a', []);
      const after = Date.now();
      const stream = (await ctx.store().getLogStream(g, 'a'))!;
      expect(stream).toMatchObject({ firstEventTimestamp: 400, lastEventTimestamp: 900, storedBytes: bytes(['hello', 'żółw', 'later']) });
      expect(stream.lastIngestionTime).toBeGreaterThanOrEqual(before);
      expect(stream.lastIngestionTime).toBeLessThanOrEqual(after);
      expect((await ctx.store().getLogGroup(g))!.storedBytes).toBe(bytes(['hello', 'żółw', 'later']));
      const events = await ctx.store().queryLogEvents({ group: g, streams: ['a'], order: 'asc', limit: 100 });
      expect(events.map((e) => [e.timestamp, e.message, e.stream])).toEqual([
        [500, 'hello', 'a'],
        [400, 'żółw', 'a'],
        [900, 'later', 'a'],
      ]);
      for (const e of events) {
        expect(e.ingestionTime).toBeGreaterThanOrEqual(before);
        expect(e.ingestionTime).toBeLessThanOrEqual(after);
      }
      expect(events[0]!.seq).toBeLessThan(events[1]!.seq);
      expect(events[1]!.seq).toBeLessThan(events[2]!.seq);
    });

    it('refuses events for a missing stream with ResourceNotFoundException and stores nothing', async () => {
      const g = uniqueKind('missing');
      await ctx.store().ensureLogGroup(g, 1);
      for (const [group, stream] of [[g, 'nope'], [uniqueKind('nogroup'), 'nope']] as const) {
        const err = await ctx.store().putLogEvents(group, stream, [{ timestamp: 1, message: 'm' }]).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ServiceError);
        expect(err).toMatchObject({ code: 'ResourceNotFoundException' });
      }
      expect((await ctx.store().getLogGroup(g))!.storedBytes).toBe(0);
      expect(await ctx.store().queryLogEvents({ group: g, order: 'asc', limit: 10 })).toEqual([]);
    });

    it('filters by streams, prefix, time range and terms, and pages by seq both ways', async () => {
      const g = uniqueKind('query');
      for (const s of ['job/algo-1', 'job/algo-2', 'Job/algo-3', 'other']) await ctx.store().ensureLogStream(g, s, 1);
      // 4 streams × 10 events, interleaved writes; timestamps 0..9 per stream
      for (let t = 0; t < 10; t++) {
        for (const s of ['job/algo-1', 'job/algo-2', 'Job/algo-3', 'other']) {
          await ctx.store().putLogEvents(g, s, [{ timestamp: t * 100, message: `${s} step ${t} ${t % 2 ? 'odd' : 'even'} loss=${t}` }]);
        }
      }
      const q = (over: Partial<LogEventQuery>) => ctx.store().queryLogEvents({ group: g, order: 'asc', limit: 1000, ...over });
      const all = await q({});
      expect(all).toHaveLength(40);
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));

      expect((await q({ streams: ['job/algo-2'] })).map((e) => e.timestamp)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
      expect(new Set((await q({ streams: ['job/algo-1', 'other'] })).map((e) => e.stream))).toEqual(new Set(['job/algo-1', 'other']));
      expect(await q({ streams: [] })).toEqual([]);
      expect(new Set((await q({ streamPrefix: 'job/' })).map((e) => e.stream))).toEqual(new Set(['job/algo-1', 'job/algo-2']));
      expect(await q({ streamPrefix: 'job_' })).toEqual([]);
      // startTime inclusive, endTime exclusive
      expect((await q({ streams: ['other'], startTime: 300, endTime: 600 })).map((e) => e.timestamp)).toEqual([300, 400, 500]);
      // every term must appear, case-sensitively; % and _ are plain characters
      expect((await q({ contains: ['odd', 'algo-1'] })).map((e) => e.timestamp)).toEqual([100, 300, 500, 700, 900]);
      expect(await q({ contains: ['ODD'] })).toEqual([]);
      expect(await q({ contains: ['loss=%'] })).toEqual([]);
      expect((await q({ contains: ['loss=9'] })).map((e) => e.stream).sort()).toEqual(['Job/algo-3', 'job/algo-1', 'job/algo-2', 'other']);

      // forward paging with afterSeq
      const forward: number[] = [];
      let after: number | undefined;
      for (;;) {
        const page = await q({ streams: ['job/algo-1'], afterSeq: after, limit: 3 });
        if (page.length === 0) break;
        forward.push(...page.map((e) => e.timestamp));
        after = page[page.length - 1]!.seq;
      }
      expect(forward).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
      // backward paging with beforeSeq, newest first
      const backward: number[] = [];
      let before: number | undefined;
      for (;;) {
        const page = await q({ streams: ['job/algo-1'], beforeSeq: before, order: 'desc', limit: 4 });
        if (page.length === 0) break;
        backward.push(...page.map((e) => e.timestamp));
        before = page[page.length - 1]!.seq;
      }
      expect(backward).toEqual([900, 800, 700, 600, 500, 400, 300, 200, 100, 0]);
      expect(await q({ group: uniqueKind('empty') })).toEqual([]);
    });

    it('keeps a large batch in order', async () => {
      const g = uniqueKind('batch');
      await ctx.store().ensureLogStream(g, 's', 1);
      const events = Array.from({ length: 500 }, (_, i) => ({ timestamp: 1_000 + (i % 7), message: `line ${i} "quoted" \\ {braces} ,comma` }));
      await ctx.store().putLogEvents(g, 's', events);
      const got = await ctx.store().queryLogEvents({ group: g, streams: ['s'], order: 'asc', limit: 1000 });
      expect(got.map((e) => e.message)).toEqual(events.map((e) => e.message));
      expect((await ctx.store().getLogStream(g, 's'))!).toMatchObject({ firstEventTimestamp: 1_000, lastEventTimestamp: 1_006 });
    });
  });
}
