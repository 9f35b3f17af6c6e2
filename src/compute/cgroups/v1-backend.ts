import { CPU_PERIOD_US, cpuQuotaUs, type CgroupBackend, type CgroupLimits, type CgroupUsage } from './cgroup-backend.js';
import { ensureDir, exists, keyedValue, readNumber, readOptional, readText, writeValue } from './cgroup-files.js';
import type { CgroupLayout } from './cgroup-layout.js';

type V1Layout = Extract<CgroupLayout, { kind: 'v1' }>;

/**
 * cgroup v1: the group is the same relative path under the memory, cpu, cpuacct and pids mounts
 * (deduplicated where controllers share a mount, e.g. "cpu,cpuacct").
 */
export class V1Backend implements CgroupBackend {
  readonly dirs: readonly string[];
  readonly membersDir: string;
  private readonly memory: string;
  private readonly cpu: string;
  private readonly cpuacct: string;
  private readonly pids: string | undefined;

  constructor(layout: V1Layout, relPath: string) {
    this.memory = `${layout.memory}/${relPath}`;
    this.cpu = `${layout.cpu}/${relPath}`;
    this.cpuacct = `${layout.cpuacct}/${relPath}`;
    this.pids = layout.pids ? `${layout.pids}/${relPath}` : undefined;
    this.dirs = [...new Set([this.memory, this.cpu, this.cpuacct, ...(this.pids ? [this.pids] : [])])];
    this.membersDir = this.memory;
  }

  async create(limits: CgroupLimits): Promise<void> {
    for (const dir of this.dirs) await ensureDir(dir);
    await this.setMemory(limits.memoryBytes);
    await writeValue(`${this.cpu}/cpu.cfs_period_us`, CPU_PERIOD_US);
    await writeValue(`${this.cpu}/cpu.cfs_quota_us`, cpuQuotaUs(limits.vcpus));
    if (this.pids) await writeValue(`${this.pids}/pids.max`, limits.pidsMax ?? 'max');
  }

  /**
   * memory.limit_in_bytes, and memory.memsw.limit_in_bytes set to the same value where swap
   * accounting exists, so a process cannot dodge the limit by swapping. memsw must stay ≥ the
   * memory limit at every step, hence the order depends on raising or lowering.
   */
  private async setMemory(bytes: number): Promise<void> {
    const memsw = `${this.memory}/memory.memsw.limit_in_bytes`;
    const hasMemsw = await exists(memsw);
    const current = await readNumber(`${this.memory}/memory.limit_in_bytes`);
    if (hasMemsw && bytes > current) await writeValue(memsw, bytes);
    await writeValue(`${this.memory}/memory.limit_in_bytes`, bytes);
    if (hasMemsw && bytes <= current) await writeValue(memsw, bytes);
    // Stop the kernel preferring swap for this group even where memsw accounting is off.
    await writeValue(`${this.memory}/memory.swappiness`, 0).catch(() => undefined);
  }

  async oomKills(): Promise<number> {
    const text = await readOptional(`${this.memory}/memory.oom_control`);
    return (text && keyedValue(text, 'oom_kill')) || 0;
  }

  async usage(): Promise<CgroupUsage> {
    const [memoryBytes, peak, cpuNanos] = await Promise.all([
      readNumber(`${this.memory}/memory.usage_in_bytes`),
      readNumber(`${this.memory}/memory.max_usage_in_bytes`),
      readText(`${this.cpuacct}/cpuacct.usage`).then(Number),
    ]);
    return { memoryBytes, memoryPeakBytes: Math.max(peak, memoryBytes), cpuNanos };
  }

  async killAtOnce(): Promise<boolean> {
    return false;
  }
}
