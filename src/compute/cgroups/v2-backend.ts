import { CPU_PERIOD_US, cpuQuotaUs, type CgroupBackend, type CgroupLimits, type CgroupUsage } from './cgroup-backend.js';
import { ensureDir, exists, keyedValue, readNumber, readOptional, readText, writeValue } from './cgroup-files.js';

const CONTROLLERS = ['memory', 'cpu', 'pids'] as const;

/**
 * cgroup v2 (unified): one directory. The parent chain from the mount root down to the group's
 * parent must delegate memory, cpu and pids through cgroup.subtree_control; a parent that holds
 * processes itself cannot (the "no internal processes" rule), so Clary's groups live in their own
 * subtree (clary/…) rather than under Clary's own group.
 */
export class V2Backend implements CgroupBackend {
  readonly dirs: readonly string[];
  readonly membersDir: string;

  constructor(
    private readonly root: string,
    private readonly relPath: string,
  ) {
    this.membersDir = `${root}/${relPath}`;
    this.dirs = [this.membersDir];
  }

  async create(limits: CgroupLimits): Promise<void> {
    const parts = this.relPath.split('/');
    let dir = this.root;
    for (const part of parts) {
      await this.delegate(dir);
      dir = `${dir}/${part}`;
      await ensureDir(dir);
    }
    await writeValue(`${dir}/memory.max`, limits.memoryBytes);
    if (await exists(`${dir}/memory.swap.max`)) await writeValue(`${dir}/memory.swap.max`, 0);
    await writeValue(`${dir}/cpu.max`, `${cpuQuotaUs(limits.vcpus)} ${CPU_PERIOD_US}`);
    await writeValue(`${dir}/pids.max`, limits.pidsMax ?? 'max');
  }

  /** Enables the controllers for the children of dir, skipping those already enabled. */
  private async delegate(dir: string): Promise<void> {
    const enabled = new Set((await readText(`${dir}/cgroup.subtree_control`)).split(/\s+/));
    for (const c of CONTROLLERS) {
      if (!enabled.has(c)) await writeValue(`${dir}/cgroup.subtree_control`, `+${c}`);
    }
  }

  async oomKills(): Promise<number> {
    const text = await readOptional(`${this.membersDir}/memory.events`);
    return (text && keyedValue(text, 'oom_kill')) || 0;
  }

  async usage(): Promise<CgroupUsage> {
    const [memoryBytes, peak, stat] = await Promise.all([
      readNumber(`${this.membersDir}/memory.current`),
      readOptional(`${this.membersDir}/memory.peak`),
      readText(`${this.membersDir}/cpu.stat`),
    ]);
    const usec = keyedValue(stat, 'usage_usec') ?? 0;
    return { memoryBytes, memoryPeakBytes: Math.max(Number(peak ?? 0), memoryBytes), cpuNanos: usec * 1000 };
  }

  async killAtOnce(): Promise<boolean> {
    const file = `${this.membersDir}/cgroup.kill`;
    if (!(await exists(file))) return false;
    await writeValue(file, 1);
    return true;
  }
}
