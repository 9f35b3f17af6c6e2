import { Placer, type Placement, type PlacementRequest } from '../../compute/placement/index.js';

/**
 * The host's capacity as controllers use it: acquire() resolves once the request is placed
 * (waiting in the Placer's strict FIFO queue meanwhile, with its reason reported), release()
 * frees it and starts whoever is next. One per Clary process.
 */
export class Capacity {
  private readonly waiters = new Map<string, (p: Placement) => void>();

  constructor(readonly placer: Placer) {}

  async acquire(request: PlacementRequest, onWaiting: (reason: string) => void, signal?: AbortSignal): Promise<Placement> {
    const existing = this.placer.placement(request.id);
    if (existing) return existing;
    const decision = this.placer.state(request.id) === 'queued' ? undefined : this.placer.request(request);
    if (decision?.outcome === 'placed') return decision.placement;
    if (decision?.outcome === 'rejected') throw new Error(decision.reason);
    onWaiting(this.placer.reason(request.id) ?? 'waiting for capacity');
    return new Promise<Placement>((resolve, reject) => {
      this.waiters.set(request.id, resolve);
      signal?.addEventListener(
        'abort',
        () => {
          this.waiters.delete(request.id);
          this.release(request.id);
          reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled while waiting for capacity'));
        },
        { once: true },
      );
    });
  }

  /** Frees (or withdraws from the queue) and hands capacity to the next in line. */
  release(id: string): void {
    for (const started of this.placer.release(id)) {
      const wake = this.waiters.get(started.request.id);
      this.waiters.delete(started.request.id);
      wake?.(started);
    }
  }
}
