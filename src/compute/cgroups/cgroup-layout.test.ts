import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectCgroupLayout, parseCgroupMounts } from './cgroup-layout.js';

const HYBRID = `tmpfs /sys/fs/cgroup tmpfs rw 0 0
cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
cgroup /sys/fs/cgroup/cpuacct cgroup rw,relatime,cpuacct 0 0
cgroup /sys/fs/cgroup/memory cgroup rw,relatime,memory 0 0
cgroup /sys/fs/cgroup/pids cgroup rw,relatime,pids 0 0
cgroup /sys/fs/cgroup/systemd cgroup rw,relatime,name=systemd 0 0
cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
`;

describe('cgroup layout', () => {
  it('reads separate v1 mounts and the empty unified mount of a hybrid host', () => {
    expect(parseCgroupMounts(HYBRID)).toEqual({
      v1: { cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct', memory: '/sys/fs/cgroup/memory', pids: '/sys/fs/cgroup/pids' },
      v2: ['/sys/fs/cgroup/unified'],
    });
  });

  it('reads co-mounted controllers and escaped mount points', () => {
    const m = 'cgroup /sys/fs/cgroup/cpu,cpuacct cgroup rw,nosuid,cpu,cpuacct 0 0\ncgroup /my\\040cg/memory cgroup rw,memory 0 0\n';
    expect(parseCgroupMounts(m).v1).toEqual({ cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct', memory: '/my cg/memory' });
  });

  it('prefers v1 with memory, else a v2 mount that offers memory, else nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clary-layout-'));
    try {
      const mounts = join(dir, 'mounts');
      await writeFile(mounts, HYBRID);
      expect(await detectCgroupLayout(mounts)).toMatchObject({ kind: 'v1', memory: '/sys/fs/cgroup/memory', cpuacct: '/sys/fs/cgroup/cpuacct' });
      const v2root = join(dir, 'v2');
      await mkdir(v2root);
      await writeFile(join(v2root, 'cgroup.controllers'), 'cpuset cpu io memory hugetlb pids\n');
      await writeFile(mounts, `cgroup2 ${v2root} cgroup2 rw 0 0\n`);
      expect(await detectCgroupLayout(mounts)).toEqual({ kind: 'v2', root: v2root });
      await writeFile(join(v2root, 'cgroup.controllers'), 'hugetlb\n');
      expect(await detectCgroupLayout(mounts)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds this machine\'s layout', async () => {
    const layout = await detectCgroupLayout();
    // This machine (DESIGN.md) is cgroup v1 with memory, cpu, cpuacct and pids.
    if (layout?.kind === 'v1') expect(layout.memory).toMatch(/memory/);
    else expect(layout === undefined || layout.kind === 'v2').toBe(true);
  });
});
