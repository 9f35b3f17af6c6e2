import { APP_KIND, type AppDoc } from '../../services/sagemaker/apps-doc.js';
import { resourcesInStatuses } from '../active-resources.js';
import type { AppDeps } from './app-deps.js';
import { ResyncLoop } from '../resync-loop.js';
import { AppInstance, type AppEvent } from './app-instance.js';
import { patchApp } from './app-record.js';

const LIVE_STATUSES = ['Pending', 'InService', 'Deleting'] as const;

/**
 * Runs Studio apps (docs/studio-apps.md). Level-triggered: on a nudge (CreateApp/DeleteApp call
 * platform.changed('app')) and every `resyncMs`, every Pending, InService or Deleting app gets a
 * pass; passes of one app never overlap. Pending → launch (or adopt what a previous Clary left
 * running) → InService once api/status answers; Deleting → stop → Deleted; a server that dies or
 * stops answering → Failed; an idle one → Deleting.
 */
export class AppController {
  private readonly instances = new Map<string, AppInstance>();
  private readonly passes = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly loop: ResyncLoop;

  constructor(private readonly deps: AppDeps, resyncMs = 2000) {
    this.loop = new ResyncLoop('app controller', () => this.scan(), deps.platform.log, resyncMs);
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  start(): void {
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  private async scan(): Promise<void> {
    for await (const rec of resourcesInStatuses<AppDoc>(this.deps.platform.store, APP_KIND, LIVE_STATUSES)) this.schedule(rec.id);
  }

  private schedule(id: string): void {
    if (this.stopped) return;
    if (this.passes.has(id)) {
      this.again.add(id);
      return;
    }
    const pass = this.reconcile(id)
      .catch((e: unknown) => this.deps.platform.log.error({ err: e, app: id }, 'app reconcile failed'))
      .finally(() => {
        this.passes.delete(id);
        if (this.again.delete(id)) this.schedule(id);
      });
    this.passes.set(id, pass);
  }

  private async reconcile(id: string): Promise<void> {
    const { store } = this.deps.platform;
    const rec = await store.getResource<AppDoc>(APP_KIND, id);
    const instance = this.instances.get(id);
    if (!rec || rec.doc.Status === 'Deleted' || rec.doc.Status === 'Failed') {
      if (instance) await this.forget(id, instance);
      return;
    }
    if (rec.doc.Status === 'Deleting') {
      if (instance) await this.forget(id, instance);
      else await new AppInstance(this.deps, id, rec.doc, async () => undefined).stop();
      await this.set(id, (d) => ({ ...d, Status: 'Deleted', Clary: { ...d.Clary, port: undefined, handle: undefined, deletedAt: this.deps.platform.now() } }));
      return;
    }
    if (instance) return;
    const fresh = new AppInstance(this.deps, id, rec.doc, (e) => this.onEvent(id, e));
    this.instances.set(id, fresh);
    if (rec.doc.Clary.handle) {
      if (await fresh.adopt()) return;
      if (rec.doc.Status === 'InService') return this.onEvent(id, { kind: 'failed', reason: 'The Jupyter server was lost while Clary was down.' });
    }
    void fresh.launch();
  }

  private async onEvent(id: string, e: AppEvent): Promise<void> {
    const now = this.deps.platform.now();
    switch (e.kind) {
      case 'running':
        await this.set(id, (d) => (d.Status === 'Pending' ? { ...d, Clary: { ...d.Clary, port: e.port, address: e.address, handle: { ...e.handle }, credentialsToken: e.credentialsToken } } : undefined));
        return;
      case 'healthy':
        await this.set(id, (d) => (d.Status === 'Pending' ? { ...d, Status: 'InService', LastHealthCheckTimestamp: e.at, LastUserActivityTimestamp: e.at } : undefined));
        return;
      case 'activity':
        await this.set(id, (d) => (d.Status === 'InService' ? { ...d, LastHealthCheckTimestamp: e.at, LastUserActivityTimestamp: e.lastActivity } : undefined));
        return;
      case 'idle':
        this.deps.platform.log.info({ app: id, lastActivity: new Date(e.lastActivity).toISOString() }, 'app idle past the limit; deleting it');
        await this.set(id, (d) => (d.Status === 'InService' ? { ...d, Status: 'Deleting', LastUserActivityTimestamp: e.lastActivity, Clary: { ...d.Clary, note: `Deleted after ${Math.round(this.deps.idleTimeoutMs / 1000)} s without activity (idle shutdown).` } } : undefined));
        this.schedule(id);
        return;
      case 'failed': {
        const instance = this.instances.get(id);
        if (instance) await this.forget(id, instance);
        await this.set(id, (d) => (d.Status === 'Pending' || d.Status === 'InService' ? { ...d, Status: 'Failed', FailureReason: e.reason.slice(0, 1024), Clary: { ...d.Clary, port: undefined, handle: undefined } } : undefined), now);
        return;
      }
    }
  }

  private async set(id: string, change: (d: AppDoc) => AppDoc | undefined, now = this.deps.platform.now()): Promise<void> {
    await patchApp(this.deps.platform.store, id, (d) => {
      const next = change(d);
      if (!next) return undefined;
      // JSON-clean (the store keeps JSON): drop undefined members.
      return JSON.parse(JSON.stringify(next)) as AppDoc;
    }, now);
  }

  private async forget(id: string, instance: AppInstance): Promise<void> {
    if (this.instances.get(id) === instance) this.instances.delete(id);
    await instance.stop();
  }

  /** Stops watching; the Jupyter servers keep running for the next Clary to adopt. */
  async close(): Promise<void> {
    await this.loop.stop();
    await Promise.race([Promise.allSettled([...this.passes.values()]), new Promise((r) => setTimeout(r, 5000).unref())]);
    await Promise.all([...this.instances.values()].map((i) => i.detach().catch(() => undefined)));
    this.instances.clear();
  }
}
