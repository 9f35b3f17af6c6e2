/** The limits one instance gets. */
export interface CgroupLimits {
  readonly vcpus: number;
  readonly memoryBytes: number;
  /** Most processes + threads the group may hold; undefined means no limit. */
  readonly pidsMax?: number;
}

/** What the group has used so far. */
export interface CgroupUsage {
  /** Memory charged now (RSS + page cache), bytes. */
  readonly memoryBytes: number;
  /** Highest memoryBytes seen, when the kernel tracks it (else equals memoryBytes). */
  readonly memoryPeakBytes: number;
  /** CPU time consumed by every process that ever ran in the group, nanoseconds. */
  readonly cpuNanos: number;
}

/** CFS period Clary uses; quota = vCPUs × period. */
export const CPU_PERIOD_US = 100_000;

/** Quota in µs for a vCPU count (fractions allowed); the kernel refuses less than 1 ms. */
export function cpuQuotaUs(vcpus: number): number {
  return Math.max(1000, Math.round(vcpus * CPU_PERIOD_US));
}

/** One cgroup version's way of doing the few things an instance group needs. */
export interface CgroupBackend {
  /** One directory per hierarchy the group lives in; a member pid is written to each. */
  readonly dirs: readonly string[];
  /** Directory whose cgroup.procs lists every member. */
  readonly membersDir: string;
  create(limits: CgroupLimits): Promise<void>;
  oomKills(): Promise<number>;
  usage(): Promise<CgroupUsage>;
  /** Kills every member at once when the kernel can (v2 cgroup.kill); false when it cannot. */
  killAtOnce(): Promise<boolean>;
}
