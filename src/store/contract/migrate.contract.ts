import { describe, expect, it } from 'vitest';
import { resource, uniqueKind, type ContractContext } from './harness.js';

export function migrateContract(ctx: ContractContext): void {
  describe('migrate', () => {
    it('is idempotent: a second migrate() keeps the data', async () => {
      const kind = uniqueKind('migrate');
      await ctx.store().createResource(resource(kind, 'a'));
      await ctx.store().migrate();
      await ctx.store().migrate();
      expect(await ctx.store().getResource(kind, 'a')).toMatchObject({ id: 'a', version: 1 });
    });

    it('brings a fresh database up when two connections migrate at once', async () => {
      const { store, another } = await ctx.fresh();
      const second = await another();
      await Promise.all([store.migrate(), second.migrate()]);
      await store.createResource(resource('k', 'a'));
      expect(await second.getResource('k', 'a')).toMatchObject({ id: 'a' });
      await second.migrate();
      expect(await store.countResources('k')).toBe(1);
    });
  });
}
