import { beforeAll, describe, expect, it } from 'vitest';
import type { ListQuery, SortKey } from '../metadata-store.js';
import { resource, uniqueKind, type ContractContext } from './harness.js';
import { collectPages, expectedOrder, makeListDataset, type Row } from './list-fixtures.js';

const SORT_KEYS: SortKey[] = ['creationTime', 'lastModifiedTime', 'name', 'status'];
const ORDERS = ['asc', 'desc'] as const;

export function listContract(ctx: ContractContext): void {
  describe('listResources', () => {
    const kind = uniqueKind('list');
    let rows: Row[] = [];
    const all = (q: Omit<ListQuery, 'kind'>) => collectPages(ctx.store(), { kind, ...q });
    const ids = (filter: (r: Row) => boolean, sortBy: SortKey, order: 'asc' | 'desc') => expectedOrder(rows.filter(filter), sortBy, order);

    beforeAll(async () => {
      rows = makeListDataset(kind, 240);
      for (const r of rows) await ctx.store().createResource(r);
      await ctx.store().createResource(resource(uniqueKind('list-noise'), 'noise'));
    });

    for (const sortBy of SORT_KEYS) {
      for (const order of ORDERS) {
        it(`pages through every record by ${sortBy} ${order}, stable on ties`, async () => {
          for (const limit of [7, 100]) {
            const got = await all({ sortBy, sortOrder: order, limit });
            expect(got.ids).toEqual(ids(() => true, sortBy, order));
            expect(got.pageSizes.slice(0, -1).every((n) => n === limit)).toBe(true);
          }
        });
      }
    }

    it('crosses every page boundary with limit 1', async () => {
      for (const [sortBy, order] of [['creationTime', 'desc'], ['name', 'asc']] as const) {
        const got = await all({ sortBy, sortOrder: order, limit: 1 });
        expect(got.ids).toEqual(ids(() => true, sortBy, order));
        expect(got.pageSizes).toHaveLength(rows.length);
      }
    });

    it('gives no cursor when a page ends exactly at the last record', async () => {
      const full = await ctx.store().listResources({ kind, limit: rows.length });
      expect(full.items).toHaveLength(rows.length);
      expect(full.nextCursor).toBeUndefined();
      const got = await all({ limit: rows.length - 1 });
      expect(got.pageSizes).toEqual([rows.length - 1, 1]);
    });

    it('defaults to creation time, newest first, 100 a page', async () => {
      const page = await ctx.store().listResources({ kind });
      expect(page.items.map((r) => r.id)).toEqual(ids(() => true, 'creationTime', 'desc').slice(0, 100));
      expect(page.nextCursor).toBeDefined();
    });

    it('returns full records', async () => {
      const page = await ctx.store().listResources({ kind, sortBy: 'name', sortOrder: 'asc', limit: 3 });
      for (const item of page.items) expect(item).toEqual(await ctx.store().getResource(kind, item.id));
    });

    const filters: [string, Omit<ListQuery, 'kind'>, (r: Row) => boolean][] = [
      ['statusEquals', { statusEquals: 'Completed' }, (r) => r.status === 'Completed'],
      ['parent', { parent: 'd-odd' }, (r) => r.parent === 'd-odd'],
      ['nameContains, case-insensitive', { nameContains: 'gAmMa' }, (r) => r.name.toLowerCase().includes('gamma')],
      ['nameContains, a substring in the middle', { nameContains: 'A-05' }, (r) => r.name.toLowerCase().includes('a-05')],
      ['creationTimeAfter (exclusive)', { creationTimeAfter: rows0(40) }, (r) => r.creationTime > rows0(40)],
      ['creationTimeBefore (exclusive)', { creationTimeBefore: rows0(40) }, (r) => r.creationTime < rows0(40)],
      ['lastModifiedTime window', { lastModifiedTimeAfter: rows0(10), lastModifiedTimeBefore: rows0(30) }, (r) => r.lastModifiedTime! > rows0(10) && r.lastModifiedTime! < rows0(30)],
      [
        'everything at once',
        { statusEquals: 'InProgress', parent: 'd-even', nameContains: 'alpha', creationTimeAfter: rows0(5) },
        (r) => r.status === 'InProgress' && r.parent === 'd-even' && r.name.toLowerCase().includes('alpha') && r.creationTime > rows0(5),
      ],
    ];
    for (const [label, q, pred] of filters) {
      it(`filters by ${label}, across pages`, async () => {
        for (const [sortBy, order] of [['name', 'asc'], ['creationTime', 'desc']] as const) {
          const expected = ids(pred, sortBy, order);
          expect(expected.length).toBeGreaterThan(0);
          expect(expected.length).toBeLessThan(rows.length);
          expect((await all({ ...q, sortBy, sortOrder: order, limit: 9 })).ids).toEqual(expected);
        }
      });
    }

    it('finds nothing for a name no record has', async () => {
      expect(await ctx.store().listResources({ kind, nameContains: 'zzz' })).toEqual({ items: [] });
      expect(await ctx.store().listResources({ kind: uniqueKind('empty') })).toEqual({ items: [] });
    });

    it('clamps the limit to 1..1000', async () => {
      expect((await ctx.store().listResources({ kind, limit: 0 })).items).toHaveLength(1);
      expect((await ctx.store().listResources({ kind, limit: -5 })).items).toHaveLength(1);
      const big = uniqueKind('big');
      for (let i = 0; i < 1001; i++) await ctx.store().createResource(resource(big, `r${i}`, { creationTime: 1_000 + i }));
      const page = await ctx.store().listResources({ kind: big, limit: 5000 });
      expect(page.items).toHaveLength(1000);
      expect(page.nextCursor).toBeDefined();
      const rest = await ctx.store().listResources({ kind: big, limit: 5000, cursor: page.nextCursor! });
      expect(rest.items.map((r) => r.id)).toEqual(['r0']);
    });
  });
}

/** Creation time of the n-th third of the dataset (see makeListDataset). */
function rows0(n: number): number {
  return 1_700_000_000_000 + n * 1000;
}
