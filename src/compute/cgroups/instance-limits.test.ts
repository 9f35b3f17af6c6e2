// The contract of the Compute issue: an ml.t3.medium-sized group (2 vCPU, 4 GiB) really limits
// memory (going over is SIGKILL, reported as an OOM kill) and CPU (at most ~2 cores of usage).
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupStale } from './cleanup-stale.js';
import { createInstanceCgroup, type InstanceCgroup } from './instance-cgroup.js';
import { cannotUseCgroups, exitOf, layout, skipReason, testPrefix } from './test-support.js';

const GiB = 1024 ** 3;
const prefix = testPrefix('limits');
const python = '/usr/bin/python3';
/** Allocates n GiB and touches every page (bytes * n fills the buffer), then says ok. */
const allocate = (gib: number) => `import sys; b = b"\\x01" * (${gib} << 30); print("ok", len(b) >> 30); sys.stdout.flush()`;

afterAll(async () => {
  if (!cannotUseCgroups) await cleanupStale(prefix, { layout });
});

function t3Medium(suffix: string): Promise<InstanceCgroup> {
  return createInstanceCgroup({ name: prefix + suffix, vcpus: 2, memoryBytes: 4 * GiB, pidsMax: 256, layout });
}

/** CPU cores used by the group over a ~2 s wall interval while 4 busy processes spin in it. */
async function coresUsedBySpinners(group: InstanceCgroup): Promise<number> {
  const exited = exitOf(group.spawn('/bin/sh', ['-c', 'for i in 1 2 3 4; do (while :; do :; done) & done; wait'], { stdio: 'ignore' }));
  try {
    while ((await group.pids()).length < 5) await sleep(20);
    await sleep(300);
    const u0 = await group.usage();
    const t0 = process.hrtime.bigint();
    await sleep(2000);
    const u1 = await group.usage();
    const t1 = process.hrtime.bigint();
    return (u1.cpuNanos - u0.cpuNanos) / Number(t1 - t0);
  } finally {
    await group.destroy();
    expect((await exited).signal).toBe('SIGKILL');
  }
}

describe.skipIf(cannotUseCgroups)(`ml.t3.medium limits${cannotUseCgroups ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('writes the limits the kernel enforces', async () => {
    const g = await t3Medium('files');
    if (layout?.kind === 'v1') {
      expect(Number(await readFile(`${layout.memory}/${g.path}/memory.limit_in_bytes`, 'utf8'))).toBe(4 * GiB);
      const memsw = await readFile(`${layout.memory}/${g.path}/memory.memsw.limit_in_bytes`, 'utf8').catch(() => undefined);
      if (memsw !== undefined) expect(Number(memsw)).toBe(4 * GiB);
      expect((await readFile(`${layout.cpu}/${g.path}/cpu.cfs_period_us`, 'utf8')).trim()).toBe('100000');
      expect((await readFile(`${layout.cpu}/${g.path}/cpu.cfs_quota_us`, 'utf8')).trim()).toBe('200000');
    } else if (layout) {
      expect((await readFile(`${layout.root}/${g.path}/cpu.max`, 'utf8')).trim()).toBe('200000 100000');
      expect(Number(await readFile(`${layout.root}/${g.path}/memory.max`, 'utf8'))).toBe(4 * GiB);
    }
    await g.destroy();
  });

  it('kills a process that touches 6 GiB with SIGKILL and reports the OOM kill', async () => {
    const g = await t3Medium('oom');
    try {
      expect(await g.oomKilled()).toBe(false);
      const r = await exitOf(g.spawn(python, ['-c', allocate(6)], { stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(r.signal).toBe('SIGKILL');
      expect(r.stdout).not.toContain('ok');
      expect(await g.oomKilled()).toBe(true);
      expect((await g.usage()).memoryPeakBytes).toBeLessThanOrEqual(4 * GiB);
    } finally {
      await g.destroy();
    }
  });

  it('lets a process use 3 GiB', async () => {
    const g = await t3Medium('fits');
    try {
      const r = await exitOf(g.spawn(python, ['-c', allocate(3)], { stdio: ['ignore', 'pipe', 'pipe'] }));
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(r.stdout.trim()).toBe('ok 3');
      expect(await g.oomKilled()).toBe(false);
      expect((await g.usage()).memoryPeakBytes).toBeGreaterThanOrEqual(3 * GiB);
    } finally {
      await g.destroy();
    }
  });

  it('holds 4 busy processes to about 2 cores', async () => {
    const cores = await coresUsedBySpinners(await t3Medium('cpu'));
    expect(cores).toBeLessThanOrEqual(2.2);
    expect(cores).toBeGreaterThan(0.25); // they did run, and usage was measured
  });

  // On a 2-core host the 2-vCPU check above cannot exceed 2 anyway; a 1-vCPU group shows the
  // quota itself is what holds the spinners back.
  it('holds 4 busy processes to about 1 core in a 1-vCPU group', async () => {
    const g = await createInstanceCgroup({ name: prefix + 'cpu1', vcpus: 1, memoryBytes: GiB, layout });
    const cores = await coresUsedBySpinners(g);
    expect(cores).toBeLessThanOrEqual(1.1);
    expect(cores).toBeGreaterThan(0.25);
  });
});
