/** One accelerator (GPU) the host really has, as `nvidia-smi` reports it. */
export interface Accelerator {
  /** Index as the driver numbers it (what CUDA_VISIBLE_DEVICES takes). */
  readonly index: number;
  readonly name: string;
  readonly memoryBytes: number;
}

/** What this machine can give to instances: the ceiling placement divides up. */
export interface HostCapacity {
  /** CPUs this process may run on (affinity / cpuset), at least 1. */
  readonly vcpus: number;
  /** Physical memory (MemTotal), lowered to Clary's own memory cgroup limit when that is smaller. */
  readonly memoryBytes: number;
  readonly accelerators: readonly Accelerator[];
}
