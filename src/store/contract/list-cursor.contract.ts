import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/errors.js';
import type { MetadataStore } from '../metadata-store.js';
import { resource, uniqueKind, type ContractContext } from './harness.js';
import { collectPages } from './list-fixtures.js';

const expectValidation = async (p: Promise<unknown>) => {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ServiceError);
  expect(err).toMatchObject({ code: 'ValidationException', status: 400 });
  expect((err as Error).message).toMatch(/pagination token/i);
};

async function seed(store: MetadataStore, kind: string, n: number, t0 = 1_000_000): Promise<void> {
  for (let i = 0; i < n; i++) await store.createResource(resource(kind, `r${String(i).padStart(3, '0')}`, { creationTime: t0 + i * 10 }));
}

export function listCursorContract(ctx: ContractContext): void {
  describe('listResources cursors', () => {
    it('stays stable when records are inserted and deleted between pages', async () => {
      const kind = uniqueKind('stable');
      await seed(ctx.store(), kind, 50); // creation times 1_000_000 … 1_000_490, r049 newest
      const first = await ctx.store().listResources({ kind, sortBy: 'creationTime', sortOrder: 'desc', limit: 10 });
      expect(first.items.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `r${String(49 - i).padStart(3, '0')}`));
      // newer than everything (before the cursor), inside the pages already seen, and in the unseen part
      await ctx.store().createResource(resource(kind, 'new-top', { creationTime: 2_000_000 }));
      await ctx.store().createResource(resource(kind, 'new-seen', { creationTime: 1_000_455 }));
      await ctx.store().createResource(resource(kind, 'new-unseen', { creationTime: 1_000_105 }));
      // ties with the cursor's own time (r040): the id decides which side of the cursor they fall on
      await ctx.store().createResource(resource(kind, 'r039-tie', { creationTime: 1_000_400 }));
      await ctx.store().createResource(resource(kind, 'r041-tie', { creationTime: 1_000_400 }));
      await ctx.store().deleteResource(kind, 'r020');
      const rest = await collectPages(ctx.store(), { kind, sortBy: 'creationTime', sortOrder: 'desc', limit: 10, cursor: first.nextCursor! });
      const expected = Array.from({ length: 40 }, (_, i) => `r${String(39 - i).padStart(3, '0')}`).filter((id) => id !== 'r020');
      expected.splice(expected.indexOf('r010'), 0, 'new-unseen');
      expected.unshift('r039-tie');
      expect(rest.ids).toEqual(expected);
    });

    it('escapes LIKE wildcards in nameContains', async () => {
      const kind = uniqueKind('like');
      const names = ['a%b', 'a_b', 'axb', 'a\\b', 'aXXb', '100%', 'under_score', 'plain'];
      for (const [i, name] of names.entries()) await ctx.store().createResource(resource(kind, `n${i}`, { name }));
      const find = async (nameContains: string) =>
        (await ctx.store().listResources({ kind, nameContains, sortBy: 'name', sortOrder: 'asc' })).items.map((r) => r.name);
      expect(await find('%')).toEqual(['100%', 'a%b']);
      expect(await find('_')).toEqual(['a_b', 'under_score']);
      expect(await find('\\')).toEqual(['a\\b']);
      expect(await find('A%B')).toEqual(['a%b']);
      expect(await find('a_b')).toEqual(['a_b']);
      expect(await find('%%')).toEqual([]);
      expect(await find('x')).toEqual(['aXXb', 'axb']);
    });

    it('answers a garbled or foreign cursor with ValidationException', async () => {
      const kind = uniqueKind('badcursor');
      await seed(ctx.store(), kind, 5);
      const good = (await ctx.store().listResources({ kind, limit: 2 })).nextCursor!;
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const bad = [
        'garbage!',
        'not base64 at all',
        '',
        'x'.repeat(10_000),
        b64({ hello: 'world' }),
        b64([1, kind, 'creationTime', 'desc', 'not-a-number', 'r001']),
        b64([1, kind, 'creationTime', 'desc', 1.5, 'r001']),
        b64([1, kind, 'creationTime', 'desc', 5, 42]),
        b64([2, kind, 'creationTime', 'desc', 5, 'r001']),
        Buffer.from('{"truncated": ').toString('base64url'),
        good.slice(0, -3),
      ];
      for (const cursor of bad) await expectValidation(ctx.store().listResources({ kind, cursor }));
      // a cursor belongs to its kind and ordering
      await expectValidation(ctx.store().listResources({ kind, cursor: good, sortOrder: 'asc' }));
      await expectValidation(ctx.store().listResources({ kind, cursor: good, sortBy: 'name', sortOrder: 'desc' }));
      await expectValidation(ctx.store().listResources({ kind: uniqueKind('other'), cursor: good }));
      // and still works for the query it came from
      expect((await ctx.store().listResources({ kind, limit: 2, cursor: good })).items).toHaveLength(2);
    });
  });
}
