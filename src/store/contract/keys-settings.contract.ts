import { describe, expect, it } from 'vitest';
import type { AccessKey } from '../metadata-store.js';
import { uniqueKind, type ContractContext } from './harness.js';

export function keysAndSettingsContract(ctx: ContractContext): void {
  describe('access keys', () => {
    const key = (id: string, principalArn: string, createdAt: number, over: Partial<AccessKey> = {}): AccessKey => ({
      accessKeyId: id,
      secretAccessKey: `secret/${id}+=`,
      principalArn,
      status: 'Active',
      createdAt,
      ...over,
    });

    it('puts, gets, lists by principal in creation order, and deletes', async () => {
      const alice = `arn:aws:iam::000000000000:user/${uniqueKind('alice')}`;
      const bob = `arn:aws:iam::000000000000:user/${uniqueKind('bob')}`;
      const tag = uniqueKind('K').toUpperCase().replace(/[^A-Z0-9]/g, '');
      await ctx.store().putAccessKey(key(`${tag}B`, alice, 2000));
      await ctx.store().putAccessKey(key(`${tag}A`, alice, 1000));
      await ctx.store().putAccessKey(key(`${tag}C`, alice, 2000));
      await ctx.store().putAccessKey(key(`${tag}D`, bob, 500));
      expect(await ctx.store().getAccessKey(`${tag}A`)).toEqual(key(`${tag}A`, alice, 1000));
      expect(await ctx.store().getAccessKey(`${tag}Z`)).toBeUndefined();
      expect((await ctx.store().listAccessKeys(alice)).map((k) => k.accessKeyId)).toEqual([`${tag}A`, `${tag}B`, `${tag}C`]);
      expect(await ctx.store().listAccessKeys(bob)).toEqual([key(`${tag}D`, bob, 500)]);
      expect(await ctx.store().listAccessKeys('arn:aws:iam::000000000000:user/nobody')).toEqual([]);
      expect(await ctx.store().deleteAccessKey(`${tag}B`)).toBe(true);
      expect(await ctx.store().deleteAccessKey(`${tag}B`)).toBe(false);
      expect(await ctx.store().getAccessKey(`${tag}B`)).toBeUndefined();
    });

    it('overwrites a key put twice (status change, new secret)', async () => {
      const arn = `arn:aws:iam::000000000000:user/${uniqueKind('carol')}`;
      const id = uniqueKind('KEY').toUpperCase().replace(/[^A-Z0-9]/g, '');
      await ctx.store().putAccessKey(key(id, arn, 1));
      await ctx.store().putAccessKey(key(id, arn, 1, { status: 'Inactive', secretAccessKey: 'rotated' }));
      expect(await ctx.store().getAccessKey(id)).toEqual(key(id, arn, 1, { status: 'Inactive', secretAccessKey: 'rotated' }));
      expect(await ctx.store().listAccessKeys(arn)).toHaveLength(1);
    });
  });

  describe('settings', () => {
    it('returns undefined for a missing key, stores and overwrites values', async () => {
      const k = uniqueKind('setting');
      expect(await ctx.store().getSetting(k)).toBeUndefined();
      await ctx.store().setSetting(k, 'one');
      expect(await ctx.store().getSetting(k)).toBe('one');
      await ctx.store().setSetting(k, '');
      expect(await ctx.store().getSetting(k)).toBe('');
      await ctx.store().setSetting(k, 'x'.repeat(10_000));
      expect(await ctx.store().getSetting(k)).toBe('x'.repeat(10_000));
      expect(await ctx.store().getSetting(`${k}-other`)).toBeUndefined();
    });
  });
}
