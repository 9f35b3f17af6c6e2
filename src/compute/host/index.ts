export type { Accelerator, HostCapacity } from './host-capacity.js';
export { detectHost, type DetectHostOptions } from './detect-host.js';
export { parseMemTotal, readMemTotal, readOwnMemoryLimit } from './meminfo.js';
export { parseNvidiaSmi, queryNvidiaSmi } from './nvidia-smi.js';
