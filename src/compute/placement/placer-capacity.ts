import type { HostCapacity } from '../host/host-capacity.js';
import type { PlacerCapacity } from './placement-types.js';

/**
 * The part of a detected host placement divides, less what is held back for Clary itself and
 * the operating system (reservedMemoryBytes, default 0). Accelerator slot i is host.accelerators[i].
 */
export function placerCapacity(host: HostCapacity, reservedMemoryBytes = 0): PlacerCapacity {
  return { vcpus: host.vcpus, memoryBytes: Math.max(0, host.memoryBytes - reservedMemoryBytes), accelerators: host.accelerators.length };
}
