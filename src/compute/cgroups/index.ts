export { CPU_PERIOD_US, cpuQuotaUs, type CgroupLimits, type CgroupUsage } from './cgroup-backend.js';
export { detectCgroupLayout, parseCgroupMounts, type CgroupLayout } from './cgroup-layout.js';
export { cleanupStale, type CleanupStaleOptions } from './cleanup-stale.js';
export { DEFAULT_PARENT } from './group-name.js';
export {
  CgroupUnavailableError,
  createInstanceCgroup,
  InstanceCgroup,
  openInstanceCgroup,
  type InstanceCgroupOptions,
  type InstanceCgroupSpec,
} from './instance-cgroup.js';
