import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupStale } from './cleanup-stale.js';
import { exists } from './cgroup-files.js';
import { createInstanceCgroup, openInstanceCgroup } from './instance-cgroup.js';
import { cannotUseCgroups, exitOf, layout, skipReason, testPrefix } from './test-support.js';

const MiB = 1024 ** 2;

/** A process that exists and is not a zombie waiting to be reaped. */
async function running(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && !/^\d+ \(.*\) [ZX]/.test(stat);
}
const prefix = testPrefix('group');

afterAll(async () => {
  if (!cannotUseCgroups) await cleanupStale(prefix, { layout });
});

describe('argument checks', () => {
  it('refuses names that would leave the parent or break the shell wrapper', async () => {
    for (const name of ['../etc', 'a/b', '', "x'y", '.hidden', 'a b']) {
      await expect(openInstanceCgroup(name, { layout: { kind: 'v2', root: '/nonexistent' } })).rejects.toThrow(/invalid cgroup name/);
    }
    await expect(openInstanceCgroup('ok', { parent: 'clary/../..', layout: { kind: 'v2', root: '/nonexistent' } })).rejects.toThrow(/invalid cgroup parent/);
  });

  it('refuses limits that are not limits', async () => {
    const base = { name: 'x', layout: { kind: 'v2', root: '/nonexistent' } as const };
    await expect(createInstanceCgroup({ ...base, vcpus: 0, memoryBytes: 64 * MiB })).rejects.toThrow(/vcpus/);
    await expect(createInstanceCgroup({ ...base, vcpus: 1, memoryBytes: 1000 })).rejects.toThrow(/memoryBytes/);
    await expect(createInstanceCgroup({ ...base, vcpus: 1, memoryBytes: 64 * MiB, pidsMax: 0 })).rejects.toThrow(/pidsMax/);
  });
});

describe.skipIf(cannotUseCgroups)(`instance cgroup lifecycle${cannotUseCgroups ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('starts the command already inside the group, in every controller', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'spawn', vcpus: 1, memoryBytes: 256 * MiB, layout });
    // The command's very first action is to print where it runs.
    const r = await exitOf(g.spawn('/bin/cat', ['/proc/self/cgroup'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    const wanted = layout?.kind === 'v1' ? ['memory', 'cpu', 'cpuacct', 'pids'] : [''];
    for (const controller of wanted) {
      const line = lines.find((l) => l.split(':')[1]!.split(',').includes(controller));
      expect(line, `cgroup line for ${controller || 'unified'}`).toMatch(new RegExp(`:/${g.path}$`));
    }
    await g.destroy();
  });

  it('moves a running process in with add(), reports usage and kills it', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'add', vcpus: 1, memoryBytes: 256 * MiB, layout });
    const child = spawn('/bin/sleep', ['60'], { stdio: 'ignore' });
    const exited = exitOf(child);
    expect(await g.pids()).toEqual([]);
    await g.add(child.pid!);
    expect(await g.pids()).toEqual([child.pid]);
    const cg = await readFile(`/proc/${child.pid}/cgroup`, 'utf8');
    expect(cg).toContain(`/${g.path}\n`);
    const usage = await g.usage();
    expect(usage.cpuNanos).toBeGreaterThanOrEqual(0);
    expect(usage.memoryPeakBytes).toBeGreaterThanOrEqual(usage.memoryBytes);
    await g.kill();
    expect((await exited).signal).toBe('SIGKILL');
    await g.destroy();
  });

  it('limits the number of processes to pidsMax', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'pids', vcpus: 1, memoryBytes: 256 * MiB, pidsMax: 8, layout });
    const exited = exitOf(g.spawn('/bin/sh', ['-c', 'for i in $(seq 30); do sleep 60 & done; wait'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    let seen = 0;
    for (let i = 0; i < 50 && seen < 8; i++) {
      seen = (await g.pids()).length;
      await sleep(20);
    }
    await sleep(200);
    expect((await g.pids()).length).toBeGreaterThanOrEqual(2);
    expect((await g.pids()).length).toBeLessThanOrEqual(8);
    await g.destroy();
    const r = await exited;
    expect(r.stderr).toMatch(/fork/i);
  });

  it('destroys: kills every process, removes the directories, and may be called again', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'destroy', vcpus: 1, memoryBytes: 256 * MiB, layout });
    const exited = exitOf(g.spawn('/bin/sh', ['-c', 'sleep 60 & sleep 60 & (sleep 60 &) ; wait'], { stdio: 'ignore' }));
    while ((await g.pids()).length < 4) await sleep(20);
    const pids = await g.pids();
    await g.destroy();
    expect((await exited).signal).toBe('SIGKILL');
    for (const pid of pids) expect(await running(pid), `pid ${pid}`).toBe(false);
    for (const dir of g.dirs) expect(await exists(dir)).toBe(false);
    await g.destroy();
  });

  it('never runs the command outside: a missing group makes the wrapper exit 125', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'gone', vcpus: 1, memoryBytes: 256 * MiB, layout });
    await g.destroy();
    const r = await exitOf(g.spawn('/bin/echo', ['ran'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    expect(r.code).toBe(125);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`cannot enter cgroup ${g.path}`);
  });

  it('re-creating an existing group keeps its processes and applies the new limits', async () => {
    const name = prefix + 'again';
    const g = await createInstanceCgroup({ name, vcpus: 1, memoryBytes: 256 * MiB, layout });
    const exited = exitOf(g.spawn('/bin/sleep', ['60'], { stdio: 'ignore' }));
    while ((await g.pids()).length < 1) await sleep(20);
    const again = await createInstanceCgroup({ name, vcpus: 2, memoryBytes: 512 * MiB, layout });
    expect(await again.pids()).toEqual(await g.pids());
    if (layout?.kind === 'v1') {
      expect(Number(await readFile(`${layout.memory}/${g.path}/memory.limit_in_bytes`, 'utf8'))).toBe(512 * MiB);
      await createInstanceCgroup({ name, vcpus: 2, memoryBytes: 128 * MiB, layout });
      expect(Number(await readFile(`${layout.memory}/${g.path}/memory.limit_in_bytes`, 'utf8'))).toBe(128 * MiB);
    }
    await again.destroy();
    expect((await exited).signal).toBe('SIGKILL');
  });
});
