import { FifoQueue } from './fifo-queue.js';
import { formatBytes, formatVcpus, plural } from './format-resources.js';
import type {
  Placement,
  PlacementDecision,
  PlacementRequest,
  PlacerCapacity,
  PlacerOptions,
  PlacerSnapshot,
  ResolvedPlacerOptions,
} from './placement-types.js';

const DEFAULTS: ResolvedPlacerOptions = { vcpuOvercommit: 4, memoryOvercommit: 1, emulateAccelerators: false };

/** What a request reserves in total: vCPUs in thousandths so sums stay exact. */
interface Need {
  readonly milli: number;
  readonly bytes: number;
  readonly accelerators: number;
}

function needOf(r: PlacementRequest): Need {
  return { milli: Math.round(r.vcpus * 1000) * r.count, bytes: r.memoryBytes * r.count, accelerators: r.accelerators * r.count };
}

function checkRequest(r: PlacementRequest): void {
  const bad = (what: string) => new Error(`invalid placement request ${JSON.stringify(r.id)}: ${what}`);
  if (typeof r.id !== 'string' || r.id === '') throw bad('id must be a non-empty string');
  if (!(r.vcpus > 0) || !Number.isFinite(r.vcpus)) throw bad('vcpus must be positive');
  if (!Number.isSafeInteger(r.memoryBytes) || r.memoryBytes <= 0) throw bad('memoryBytes must be a positive whole number');
  if (!Number.isSafeInteger(r.accelerators) || r.accelerators < 0) throw bad('accelerators must be a whole number ≥ 0');
  if (!Number.isSafeInteger(r.count) || r.count < 1) throw bad('count must be a whole number ≥ 1');
}

/**
 * Divides one host among instance requests. Synchronous and in memory: every decision is O(1)
 * amortised (the queue is only ever looked at from its head).
 *
 * Rule: memory is reserved against the real total (never overcommitted by default), vCPUs
 * against total × vcpuOvercommit, accelerators against the real free ones unless emulation is
 * on. A request that does not fit waits in a strict FIFO queue: nothing overtakes it, even a
 * smaller request that would fit, so a large request is never starved by a stream of small ones.
 */
export class Placer {
  readonly capacity: PlacerCapacity;
  readonly options: ResolvedPlacerOptions;
  private readonly totalMilli: number;
  private readonly totalBytes: number;
  private usedMilli = 0;
  private usedBytes = 0;
  /** accelerator slot → id holding it. */
  private readonly acceleratorHolder: (string | undefined)[];
  private freeAcceleratorCount: number;
  private readonly running = new Map<string, Placement>();
  private readonly queue = new FifoQueue<PlacementRequest>();

  constructor(capacity: PlacerCapacity, options: PlacerOptions = {}) {
    this.capacity = Object.freeze({ ...capacity });
    this.options = Object.freeze({ ...DEFAULTS, ...options });
    if (!(this.options.vcpuOvercommit >= 1) || !(this.options.memoryOvercommit >= 1)) throw new Error('overcommit factors must be ≥ 1');
    this.totalMilli = Math.floor(capacity.vcpus * 1000 * this.options.vcpuOvercommit);
    this.totalBytes = Math.floor(capacity.memoryBytes * this.options.memoryOvercommit);
    this.acceleratorHolder = new Array<string | undefined>(capacity.accelerators).fill(undefined);
    this.freeAcceleratorCount = capacity.accelerators;
  }

  /** Places the request now, queues it behind earlier ones, or rejects it when it can never fit. */
  request(request: PlacementRequest): PlacementDecision {
    checkRequest(request);
    if (this.running.has(request.id) || this.queue.has(request.id)) throw new Error(`placement request ${request.id} is already running or queued`);
    const never = this.neverFits(needOf(request));
    if (never) return { outcome: 'rejected', id: request.id, reason: never };
    if (this.queue.size === 0 && this.fits(needOf(request))) return { outcome: 'placed', placement: this.place(request) };
    this.queue.push(request.id, request);
    return { outcome: 'queued', id: request.id, position: this.queue.size, reason: this.waitReason(request, this.queue.size - 1) };
  }

  /**
   * Frees a running request's reservation, or withdraws a queued one, and returns the queued
   * requests that start because of it, in queue order. Unknown ids are a no-op.
   */
  release(id: string): Placement[] {
    const placement = this.running.get(id);
    if (placement) this.unreserve(placement);
    else if (!this.queue.remove(id)) return [];
    return this.startReady();
  }

  /** Starts queued requests from the head while they fit (after restore, or a capacity change). */
  startReady(): Placement[] {
    const started: Placement[] = [];
    for (let head = this.queue.peek(); head && this.fits(needOf(head)); head = this.queue.peek()) {
      this.queue.shift();
      started.push(this.place(head));
    }
    return started;
  }

  /** Queued requests that can never fit this host (possible only after restoring onto a smaller one), removed. */
  dropUnplaceable(): { id: string; reason: string }[] {
    const dropped: { id: string; reason: string }[] = [];
    for (const r of this.queue.values()) {
      const reason = this.neverFits(needOf(r));
      if (reason) {
        this.queue.remove(r.id);
        dropped.push({ id: r.id, reason });
      }
    }
    return dropped;
  }

  state(id: string): 'running' | 'queued' | undefined {
    return this.running.has(id) ? 'running' : this.queue.has(id) ? 'queued' : undefined;
  }

  placement(id: string): Placement | undefined {
    return this.running.get(id);
  }

  /** Why a queued request waits, e.g. "waiting for capacity: needs 16 GiB, 6 GiB free". */
  reason(id: string): string | undefined {
    const request = this.queue.get(id);
    return request && this.waitReason(request, this.queue.position(id)! - 1);
  }

  get queued(): number {
    return this.queue.size;
  }

  /** Free capacity now: vCPUs (after overcommit), bytes, real accelerators. */
  free(): { vcpus: number; memoryBytes: number; accelerators: number } {
    return { vcpus: (this.totalMilli - this.usedMilli) / 1000, memoryBytes: this.totalBytes - this.usedBytes, accelerators: this.freeAcceleratorCount };
  }

  snapshot(): PlacerSnapshot {
    return structuredClone({ version: 1, capacity: this.capacity, options: this.options, running: [...this.running.values()], queue: this.queue.values() });
  }

  /**
   * Rebuilds a Placer from a snapshot, on the capacity now detected when given. Running requests
   * keep their reservations (even if the host shrank: they are running), the queue keeps its
   * order, and nothing starts until startReady() is called.
   */
  static restore(snapshot: PlacerSnapshot, capacity: PlacerCapacity = snapshot.capacity): Placer {
    if (snapshot.version !== 1) throw new Error(`unknown placer snapshot version ${String(snapshot.version)}`);
    const placer = new Placer(capacity, snapshot.options);
    for (const p of snapshot.running) placer.reserve(p.request, p.acceleratorIndices.filter((i) => i < capacity.accelerators), p.acceleratorsEmulated);
    for (const r of snapshot.queue) placer.queue.push(r.id, r);
    return placer;
  }

  private fits(need: Need): boolean {
    if (need.bytes > this.totalBytes - this.usedBytes || need.milli > this.totalMilli - this.usedMilli) return false;
    return this.options.emulateAccelerators || need.accelerators <= this.freeAcceleratorCount;
  }

  private neverFits(need: Need): string | undefined {
    const parts: string[] = [];
    if (need.bytes > this.totalBytes) parts.push(`needs ${formatBytes(need.bytes, 'up')}, the host has ${formatBytes(this.totalBytes, 'down')}`);
    if (need.milli > this.totalMilli) {
      parts.push(`needs ${formatVcpus(need.milli)} vCPU, the host offers ${formatVcpus(this.totalMilli)} (${this.capacity.vcpus} vCPU × overcommit ${this.options.vcpuOvercommit})`);
    }
    if (!this.options.emulateAccelerators && need.accelerators > this.capacity.accelerators) {
      parts.push(`needs ${plural(need.accelerators, 'accelerator')}, the host has ${this.capacity.accelerators || 'none'} (accelerator emulation is off)`);
    }
    return parts.length ? `can never run on this host: ${parts.join('; ')}` : undefined;
  }

  private waitReason(request: PlacementRequest, ahead: number): string {
    const need = needOf(request);
    const parts: string[] = [];
    const freeBytes = this.totalBytes - this.usedBytes;
    const freeMilli = this.totalMilli - this.usedMilli;
    if (need.bytes > freeBytes) parts.push(`needs ${formatBytes(need.bytes, 'up')}, ${formatBytes(Math.max(0, freeBytes), 'down')} free`);
    if (need.milli > freeMilli) parts.push(`needs ${formatVcpus(need.milli)} vCPU, ${formatVcpus(Math.max(0, freeMilli))} vCPU free`);
    if (!this.options.emulateAccelerators && need.accelerators > this.freeAcceleratorCount) {
      parts.push(`needs ${plural(need.accelerators, 'accelerator')}, ${this.freeAcceleratorCount} free`);
    }
    if (parts.length === 0) parts.push(`queued behind ${plural(ahead, 'earlier request')}`);
    return `waiting for capacity: ${parts.join('; ')}`;
  }

  private place(request: PlacementRequest): Placement {
    const need = needOf(request);
    if (need.accelerators <= this.freeAcceleratorCount) {
      const indices: number[] = [];
      for (let i = 0; i < this.acceleratorHolder.length && indices.length < need.accelerators; i++) if (this.acceleratorHolder[i] === undefined) indices.push(i);
      return this.reserve(request, indices, false);
    }
    return this.reserve(request, [], true);
  }

  private reserve(request: PlacementRequest, acceleratorIndices: readonly number[], acceleratorsEmulated: boolean): Placement {
    const need = needOf(request);
    this.usedMilli += need.milli;
    this.usedBytes += need.bytes;
    for (const i of acceleratorIndices) {
      if (this.acceleratorHolder[i] !== undefined) continue;
      this.acceleratorHolder[i] = request.id;
      this.freeAcceleratorCount--;
    }
    const placement: Placement = Object.freeze({ request, acceleratorIndices: Object.freeze([...acceleratorIndices]), acceleratorsEmulated });
    this.running.set(request.id, placement);
    return placement;
  }

  private unreserve(p: Placement): void {
    const need = needOf(p.request);
    this.usedMilli -= need.milli;
    this.usedBytes -= need.bytes;
    for (const i of p.acceleratorIndices) {
      if (this.acceleratorHolder[i] === p.request.id) {
        this.acceleratorHolder[i] = undefined;
        this.freeAcceleratorCount++;
      }
    }
    this.running.delete(p.request.id);
  }
}
