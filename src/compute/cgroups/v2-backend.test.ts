// cgroup v2 cannot run on this (v1) machine, so the v2 backend is checked against a directory
// tree shaped like cgroupfs: which files it writes, in what order, and how it reads them back.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { V2Backend } from './v2-backend.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'clary-v2-'));
  await writeFile(join(root, 'cgroup.subtree_control'), 'cpu\n');
  await mkdir(join(root, 'clary'));
  // Real cgroupfs shows the files as soon as mkdir returns; here they are made ahead.
  await writeFile(join(root, 'clary/cgroup.subtree_control'), '');
  await mkdir(join(root, 'clary/job-1'));
  await writeFile(join(root, 'clary/job-1/memory.swap.max'), 'max\n');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const read = (p: string) => readFile(join(root, p), 'utf8');

describe('V2Backend', () => {
  it('delegates the controllers down the tree and writes memory.max, memory.swap.max, cpu.max, pids.max', async () => {
    const b = new V2Backend(root, 'clary/job-1');
    await b.create({ vcpus: 2, memoryBytes: 4 * 1024 ** 3, pidsMax: 100 });
    // A plain file keeps only the last write; the root already had cpu, so pids came last.
    expect(await read('cgroup.subtree_control')).toBe('+pids');
    expect(await read('clary/cgroup.subtree_control')).toBe('+pids');
    expect(await read('clary/job-1/memory.max')).toBe(String(4 * 1024 ** 3));
    expect(await read('clary/job-1/memory.swap.max')).toBe('0');
    expect(await read('clary/job-1/cpu.max')).toBe('200000 100000');
    expect(await read('clary/job-1/pids.max')).toBe('100');
    expect(b.dirs).toEqual([join(root, 'clary/job-1')]);
  });

  it('reads OOM kills from memory.events and usage from memory.current, memory.peak and cpu.stat', async () => {
    const b = new V2Backend(root, 'clary/job-1');
    expect(await b.oomKills()).toBe(0);
    await writeFile(join(root, 'clary/job-1/memory.events'), 'low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\n');
    expect(await b.oomKills()).toBe(1);
    await writeFile(join(root, 'clary/job-1/memory.current'), '1000\n');
    await writeFile(join(root, 'clary/job-1/memory.peak'), '5000\n');
    await writeFile(join(root, 'clary/job-1/cpu.stat'), 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
    expect(await b.usage()).toEqual({ memoryBytes: 1000, memoryPeakBytes: 5000, cpuNanos: 1_500_000 });
  });

  it('kills through cgroup.kill when the kernel has it', async () => {
    const b = new V2Backend(root, 'clary/job-1');
    expect(await b.killAtOnce()).toBe(false);
    await writeFile(join(root, 'clary/job-1/cgroup.kill'), '');
    expect(await b.killAtOnce()).toBe(true);
    expect(await read('clary/job-1/cgroup.kill')).toBe('1');
  });
});
