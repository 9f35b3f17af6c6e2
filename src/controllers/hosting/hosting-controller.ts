import { ENDPOINT_KIND, type EndpointDoc } from '../../services/sagemaker/endpoints-doc.js';
import { resourcesInStatuses } from '../active-resources.js';
import { ResyncLoop } from '../resync-loop.js';
import { DataCaptureSink } from './data-capture.js';
import { EndpointReconciler } from './endpoint-reconciler.js';
import type { HostingDeps } from './hosting-deps.js';

const ACTIVE_STATUSES = ['Creating', 'Updating', 'RollingBack', 'InService', 'Deleting'] as const;

/**
 * Runs endpoints. Level-triggered like the training controller: on a nudge (handlers call
 * platform.changed('endpoint'), instances call it when they become healthy or end) and every
 * `resyncMs` anyway, it lists the endpoints that are not Failed and runs one reconcile pass per
 * endpoint; passes of one endpoint never overlap. On start it adopts the instances a previous
 * Clary left running. docs/hosting.md has the state table.
 */
export class HostingController {
  private readonly reconcilers = new Map<string, EndpointReconciler>();
  private readonly passes = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly loop: ResyncLoop;

  constructor(private readonly deps: HostingDeps, resyncMs = 2000) {
    this.loop = new ResyncLoop('hosting controller', () => this.scan(), deps.platform.log, resyncMs);
    deps.routes.captureSink ??= new DataCaptureSink(deps.platform.objects, deps.platform.log);
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  start(): void {
    for (const s of this.deps.routes.services) s.start();
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  private async scan(): Promise<void> {
    const seen = new Set<string>();
    for await (const rec of resourcesInStatuses<EndpointDoc>(this.deps.platform.store, ENDPOINT_KIND, ACTIVE_STATUSES)) {
      seen.add(rec.id);
      this.schedule(rec.id);
    }
    // Endpoints that went Failed or disappeared still get a pass, to stop what they had.
    for (const name of this.reconcilers.keys()) if (!seen.has(name)) this.schedule(name);
  }

  /** One pass for `name` now, or right after the one in progress. */
  private schedule(name: string): void {
    if (this.stopped) return;
    if (this.passes.has(name)) {
      this.again.add(name);
      return;
    }
    let r = this.reconcilers.get(name);
    if (!r) {
      r = new EndpointReconciler(this.deps, name, () => this.schedule(name));
      this.reconcilers.set(name, r);
    }
    const reconciler = r;
    const pass = reconciler
      .reconcile()
      .then((outcome) => {
        if (outcome === 'done' && this.reconcilers.get(name) === reconciler) this.reconcilers.delete(name);
      })
      .catch((e: unknown) => this.deps.platform.log.error({ err: e, endpoint: name }, 'endpoint reconcile failed'))
      .finally(() => {
        this.passes.delete(name);
        if (this.again.delete(name)) this.schedule(name);
      });
    this.passes.set(name, pass);
  }

  /** Stops watching; the model servers keep running for the next Clary to adopt. */
  async close(): Promise<void> {
    await this.loop.stop();
    await Promise.race([Promise.allSettled([...this.passes.values()]), new Promise((r) => setTimeout(r, 5000).unref())]);
    await Promise.all([...this.reconcilers.values()].map((r) => r.detach().catch(() => undefined)));
    this.reconcilers.clear();
    // Captured invocations still in memory, and the async-inference queue's work in flight.
    await this.deps.routes.captureSink?.close().catch(() => undefined);
    for (const s of this.deps.routes.services) await s.close().catch(() => undefined);
  }
}
