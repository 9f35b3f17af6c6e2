import { availableParallelism } from 'node:os';
import type { HostCapacity } from './host-capacity.js';
import { readMemTotal, readOwnMemoryLimit } from './meminfo.js';
import { queryNvidiaSmi } from './nvidia-smi.js';

export interface DetectHostOptions {
  /** Path or name of nvidia-smi; default "nvidia-smi" on PATH. */
  readonly nvidiaSmi?: string;
  /** Give up on nvidia-smi after this long (default 5000 ms). */
  readonly nvidiaSmiTimeoutMs?: number;
  /** Override for tests and odd hosts; default /proc/meminfo. */
  readonly meminfoPath?: string;
}

/**
 * What this machine offers: vCPUs this process may use (os.availableParallelism honours the CPU
 * affinity / cpuset), memory (MemTotal, or Clary's own memory cgroup limit when smaller) and the
 * GPUs nvidia-smi lists (none when it is absent).
 */
export async function detectHost(options: DetectHostOptions = {}): Promise<HostCapacity> {
  const [total, ownLimit, accelerators] = await Promise.all([
    readMemTotal(options.meminfoPath),
    readOwnMemoryLimit(),
    queryNvidiaSmi(options.nvidiaSmi, options.nvidiaSmiTimeoutMs),
  ]);
  return Object.freeze({
    vcpus: Math.max(1, availableParallelism()),
    memoryBytes: ownLimit !== undefined ? Math.min(total, ownLimit) : total,
    accelerators: Object.freeze(accelerators),
  });
}
