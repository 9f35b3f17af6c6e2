import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { exists } from './cgroup-files.js';
import { cleanupStale } from './cleanup-stale.js';
import { createInstanceCgroup } from './instance-cgroup.js';
import { cannotUseCgroups, exitOf, layout, skipReason, testPrefix } from './test-support.js';

const MiB = 1024 ** 2;
const prefix = testPrefix('stale');

describe.skipIf(cannotUseCgroups)(`cleanupStale${cannotUseCgroups ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('removes leftover groups with the prefix, processes and all, and keeps the others', async () => {
    const make = (suffix: string) => createInstanceCgroup({ name: prefix + suffix, vcpus: 1, memoryBytes: 128 * MiB, layout });
    const [a, b, kept] = await Promise.all([make('a'), make('b'), make('kept')]);
    const other = await createInstanceCgroup({ name: `other-${process.pid}`, vcpus: 1, memoryBytes: 128 * MiB, layout });
    const exited = exitOf(a.spawn('/bin/sleep', ['60'], { stdio: 'ignore' }));
    while ((await a.pids()).length < 1) await sleep(20);

    const removed = await cleanupStale(prefix, { layout, keep: [prefix + 'kept'] });
    expect(removed).toEqual([prefix + 'a', prefix + 'b']);
    expect((await exited).signal).toBe('SIGKILL');
    for (const dir of [...a.dirs, ...b.dirs]) expect(await exists(dir)).toBe(false);
    for (const dir of [...kept.dirs, ...other.dirs]) expect(await exists(dir)).toBe(true);

    expect(await cleanupStale(prefix, { layout, keep: [prefix + 'kept'] })).toEqual([]);
    await kept.destroy();
    await other.destroy();
  });

  it('finds nothing under a parent that does not exist', async () => {
    expect(await cleanupStale('', { layout, parent: `absent-${process.pid}` })).toEqual([]);
  });
});
