import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, StaleVersionError } from '../../core/errors.js';
import { resource, uniqueKind, type ContractContext } from './harness.js';

export function resourcesContract(ctx: ContractContext): void {
  describe('resources', () => {
    it('creates a record at version 1 and reads it back unchanged', async () => {
      const kind = uniqueKind('create');
      const doc = { nested: { list: [1, 'two', null, true], unicode: 'żółw 🐢 "quoted" \\ back' }, n: 1.5 };
      const created = await ctx.store().createResource(resource(kind, 'a', { name: 'Alpha', parent: 'p1', status: 'Creating', doc }));
      expect(created).toEqual({
        kind,
        id: 'a',
        name: 'Alpha',
        arn: `arn:aws:sagemaker:us-east-1:000000000000:${kind}/a`,
        parent: 'p1',
        status: 'Creating',
        creationTime: 1_700_000_000_000,
        lastModifiedTime: 1_700_000_000_000,
        version: 1,
        doc,
      });
      expect(await ctx.store().getResource(kind, 'a')).toEqual(created);
      expect(await ctx.store().getResource(kind, 'missing')).toBeUndefined();
      expect(await ctx.store().getResource(uniqueKind('other'), 'a')).toBeUndefined();
    });

    it('keeps an explicit lastModifiedTime and a null status', async () => {
      const kind = uniqueKind('create2');
      const r = await ctx.store().createResource(resource(kind, 'a', { status: null, lastModifiedTime: 1_700_000_000_123 }));
      expect(r.status).toBeNull();
      expect(r.lastModifiedTime).toBe(1_700_000_000_123);
      expect((await ctx.store().getResource(kind, 'a'))!.status).toBeNull();
    });

    it('refuses a duplicate (kind, id) with AlreadyExistsError and keeps the original', async () => {
      const kind = uniqueKind('dup');
      await ctx.store().createResource(resource(kind, 'a', { doc: { v: 'first' } }));
      const err = await ctx.store().createResource(resource(kind, 'a', { doc: { v: 'second' } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlreadyExistsError);
      expect(err).toMatchObject({ kind, id: 'a' });
      expect((await ctx.store().getResource(kind, 'a'))!.doc).toEqual({ v: 'first' });
      // the same id under another kind is a different resource
      await expect(ctx.store().createResource(resource(uniqueKind('dup-other'), 'a'))).resolves.toMatchObject({ version: 1 });
    });

    it('rejects timestamps that are not integers of epoch ms', async () => {
      const kind = uniqueKind('ts');
      await expect(ctx.store().createResource(resource(kind, 'a', { creationTime: 1.5 }))).rejects.toThrow(TypeError);
      expect(await ctx.store().getResource(kind, 'a')).toBeUndefined();
    });

    it('updates with the expected version: bumps version, replaces doc and status, sets lastModifiedTime', async () => {
      const kind = uniqueKind('update');
      await ctx.store().createResource(resource(kind, 'a', { status: 'InProgress', doc: { step: 0 } }));
      const before = Date.now();
      const u1 = await ctx.store().updateResource(kind, 'a', 1, { doc: { step: 1 } });
      const after = Date.now();
      expect(u1).toMatchObject({ version: 2, status: 'InProgress', doc: { step: 1 } });
      expect(u1!.lastModifiedTime).toBeGreaterThanOrEqual(before);
      expect(u1!.lastModifiedTime).toBeLessThanOrEqual(after);
      expect(u1!.creationTime).toBe(1_700_000_000_000);

      const u2 = await ctx.store().updateResource(kind, 'a', 2, { status: 'Completed', lastModifiedTime: 1_800_000_000_000 });
      expect(u2).toMatchObject({ version: 3, status: 'Completed', doc: { step: 1 }, lastModifiedTime: 1_800_000_000_000 });
      const u3 = await ctx.store().updateResource(kind, 'a', 3, { status: null });
      expect(u3).toMatchObject({ version: 4, status: null });
      expect(await ctx.store().getResource(kind, 'a')).toEqual(u3);
    });

    it('throws StaleVersionError on a version mismatch and changes nothing', async () => {
      const kind = uniqueKind('stale');
      await ctx.store().createResource(resource(kind, 'a'));
      await ctx.store().updateResource(kind, 'a', 1, { doc: { v: 2 } });
      const err = await ctx.store().updateResource(kind, 'a', 1, { doc: { v: 'lost' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StaleVersionError);
      expect(await ctx.store().getResource(kind, 'a')).toMatchObject({ version: 2, doc: { v: 2 } });
      await expect(ctx.store().updateResource(kind, 'a', 3, {})).rejects.toBeInstanceOf(StaleVersionError);
    });

    it('returns undefined when updating a resource that does not exist', async () => {
      expect(await ctx.store().updateResource(uniqueKind('gone'), 'nope', 1, { status: 'X' })).toBeUndefined();
    });

    it('deletes once', async () => {
      const kind = uniqueKind('delete');
      await ctx.store().createResource(resource(kind, 'a'));
      await ctx.store().createResource(resource(kind, 'b'));
      expect(await ctx.store().deleteResource(kind, 'a')).toBe(true);
      expect(await ctx.store().deleteResource(kind, 'a')).toBe(false);
      expect(await ctx.store().getResource(kind, 'a')).toBeUndefined();
      expect(await ctx.store().getResource(kind, 'b')).toBeDefined();
      // the id is free again
      await expect(ctx.store().createResource(resource(kind, 'a'))).resolves.toMatchObject({ version: 1 });
    });

    it('counts by kind and by parent', async () => {
      const kind = uniqueKind('count');
      for (let i = 0; i < 5; i++) await ctx.store().createResource(resource(kind, `r${i}`, { parent: i < 3 ? 'd-1' : 'd-2' }));
      await ctx.store().createResource(resource(kind, 'orphan'));
      expect(await ctx.store().countResources(kind)).toBe(6);
      expect(await ctx.store().countResources(kind, 'd-1')).toBe(3);
      expect(await ctx.store().countResources(kind, 'd-2')).toBe(2);
      expect(await ctx.store().countResources(kind, 'd-3')).toBe(0);
      expect(await ctx.store().countResources(uniqueKind('none'))).toBe(0);
    });

    it('lets exactly one of two concurrent updates with the same version win (two connections)', async () => {
      const kind = uniqueKind('race');
      await ctx.store().createResource(resource(kind, 'a'));
      const other = await ctx.another();
      for (let round = 1; round <= 5; round++) {
        const results = await Promise.allSettled([
          ctx.store().updateResource(kind, 'a', round, { doc: { by: 'first', round } }),
          other.updateResource(kind, 'a', round, { doc: { by: 'second', round } }),
        ]);
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(StaleVersionError);
      }
      expect(await ctx.store().getResource(kind, 'a')).toMatchObject({ version: 6, doc: { round: 5 } });
    });

    it('lets exactly one of many concurrent creates of the same id win', async () => {
      const kind = uniqueKind('create-race');
      const other = await ctx.another();
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? other : ctx.store()).createResource(resource(kind, 'a', { doc: { i } }))),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AlreadyExistsError);
    });
  });
}
