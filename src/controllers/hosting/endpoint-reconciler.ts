import { randomBytes } from 'node:crypto';
import { endAllocation } from '../../compute/metering/index.js';
import { ENDPOINT_KIND, type EndpointDoc, type EndpointInstanceRecord, type VariantIntent } from '../../services/sagemaker/endpoints-doc.js';
import type { FleetVariant } from '../../services/sagemaker/endpoints-fleet.js';
import { updateEndpoint } from '../../services/sagemaker/endpoints-store.js';
import { dropTags } from '../../services/sagemaker/tags-records.js';
import { endpointCapture, type EndpointCapture } from './data-capture.js';
import { EndpointInstance } from './endpoint-instance.js';
import { summariesDiffer, variantSummaries } from './endpoint-summary.js';
import type { HostingDeps } from './hosting-deps.js';

const ALIVE = new Set(['launching', 'starting', 'healthy']);

/**
 * Makes one endpoint's instances match its document (docs/hosting.md has the state table). Each
 * pass: adopt what a previous Clary left running (first pass only), reap ended instances, react
 * to instances that failed to start, start or stop instances until every variant of the desired
 * configuration has its count, switch traffic to a new fleet once all of it is healthy, and
 * record status and variant summaries. Passes never overlap (the controller serialises them).
 */
export class EndpointReconciler {
  private readonly live = new Map<string, EndpointInstance>();
  private adopted = false;
  /** The compiled DataCaptureConfig the route carries (kept while the configuration is the same). */
  private captureKey = '';
  private capture: EndpointCapture | undefined;
  /** Replacements that failed to start, per variant: the next try waits (2 s, 4 s … 60 s). */
  private readonly backoff = new Map<string, { failures: number; retryAt: number }>();

  constructor(private readonly deps: HostingDeps, readonly name: string, private readonly nudge: () => void) {}

  /** 'done' when the endpoint no longer needs a reconciler (deleted, failed). */
  async reconcile(): Promise<'keep' | 'done'> {
    const { store } = this.deps.platform;
    let rec = await store.getResource<EndpointDoc>(ENDPOINT_KIND, this.name);
    if (!rec) {
      await this.stopAll();
      return 'done';
    }
    if (!this.adopted) {
      this.adopted = true;
      await this.adoptAll(rec.doc);
      rec = await store.getResource<EndpointDoc>(ENDPOINT_KIND, this.name);
      if (!rec) return 'done';
    }
    const doc = rec.doc;
    if (doc.EndpointStatus === 'Deleting') {
      await this.stopAll();
      await this.deps.routes.captureSink?.flush(this.name);
      await store.deleteResource(ENDPOINT_KIND, this.name);
      await dropTags(store, doc.EndpointArn).catch(() => undefined);
      this.deps.platform.log.info({ endpoint: this.name }, 'endpoint deleted');
      return 'done';
    }
    if (doc.EndpointStatus === 'Failed') {
      await this.stopAll();
      await this.save((d) => (d._clary.instances.length ? d : undefined), false);
      return 'done';
    }
    await this.converge(doc);
    return 'keep';
  }

  private async adoptAll(doc: EndpointDoc): Promise<void> {
    const fleets = doc._clary.fleets;
    for (const r of doc._clary.instances) {
      const variant = fleets[r.configName]?.find((v) => v.VariantName === r.variant);
      const inst = variant && new EndpointInstance(this.deps, { name: this.name, arn: doc.EndpointArn }, structuredClone(r), variant, (i) => this.changed(i));
      if (inst && (await inst.adopt().catch(() => false))) {
        this.live.set(r.id, inst);
        continue;
      }
      // Gone while Clary was down (or never got started): what is left of it goes.
      if (r.handle) await this.deps.runner.cleanup(r.handle).catch(() => undefined);
      await endAllocation(this.deps.platform.store, r.allocationId, this.deps.platform.now(), 'Clary restarted: instance lost').catch(() => undefined);
      this.deps.platform.log.warn({ endpoint: this.name, instance: r.id }, 'endpoint instance lost while Clary was down; it will be replaced');
    }
    await this.persistInstances();
  }

  private changed(i: EndpointInstance): void {
    if (i.state === 'ended' || i.state === 'failed') this.deps.routes.removeInstance(this.name, i.record.id);
    this.nudge();
  }

  private async converge(doc: EndpointDoc): Promise<void> {
    const c = doc._clary;
    const target = c.desiredConfig;
    const fleet = c.fleets[target] ?? [];
    const snapshot = JSON.stringify([target, c.desired]);

    for (const inst of [...this.live.values()]) if (inst.state === 'ended') await this.remove(inst);

    const failed = [...this.live.values()].filter((i) => i.state === 'failed');
    if (failed.length > 0) {
      const reason = failed.find((i) => i.record.configName === target)?.failure;
      for (const f of failed) await this.remove(f);
      if (reason !== undefined) {
        if (!c.deployedConfig) return this.failEndpoint(reason);
        if (target !== c.deployedConfig) return this.rollBack(doc, reason);
        if (doc.EndpointStatus === 'Updating') return this.abandonScaling(doc, reason);
        // InService: a replacement failed to start; it is tried again after a pause that grows.
        for (const f of failed.filter((i) => i.record.configName === target)) {
          const b = this.backoff.get(f.record.variant) ?? { failures: 0, retryAt: 0 };
          b.failures++;
          b.retryAt = this.deps.platform.now() + Math.min(60_000, 1000 * 2 ** b.failures);
          this.backoff.set(f.record.variant, b);
        }
        this.deps.platform.log.warn({ endpoint: this.name, reason }, 'replacement instance failed to start; retrying');
      }
    }

    let launched = false;
    for (const v of fleet) {
      const want = c.desired[v.VariantName]?.count ?? v.InitialInstanceCount;
      const mine = this.of(target, v.VariantName).filter((i) => ALIVE.has(i.state));
      const wait = this.backoff.get(v.VariantName);
      if (wait && mine.length < want && this.deps.platform.now() < wait.retryAt) continue;
      for (let k = mine.length; k < want; k++) {
        this.launch(doc, v, target);
        launched = true;
      }
      if (mine.length > want) {
        // Not-yet-serving instances go first, then the newest.
        const surplus = mine.sort((a, b) => Number(a.state === 'healthy') - Number(b.state === 'healthy') || b.record.startedAt - a.record.startedAt).slice(0, mine.length - want);
        for (const s of surplus) this.deps.routes.removeInstance(this.name, s.record.id);
        for (const s of surplus) await this.remove(s);
      }
    }
    if (launched) await this.persistInstances();

    for (const v of fleet) {
      const healthy = this.of(target, v.VariantName).filter((i) => i.state === 'healthy').length;
      if (healthy >= (c.desired[v.VariantName]?.count ?? v.InitialInstanceCount)) this.backoff.delete(v.VariantName);
    }
    const ready = fleet.length > 0 && fleet.every((v) => this.of(target, v.VariantName).filter((i) => i.state === 'healthy').length >= (c.desired[v.VariantName]?.count ?? v.InitialInstanceCount));
    if (ready && target !== c.deployedConfig) {
      // Blue/green: traffic moves to the new fleet in one step, then the old fleet stops.
      c.deployedConfig = target;
      c.deployedWeights = weightsOf(c.desired);
      this.publish(doc);
      await this.save((d) => {
        if (JSON.stringify([d._clary.desiredConfig, d._clary.desired]) !== snapshot) return undefined;
        d._clary.deployedConfig = target;
        d._clary.deployedWeights = weightsOf(d._clary.desired);
        d._clary.fleets = { [target]: d._clary.fleets[target]! };
        d.EndpointConfigName = target;
        return d;
      }, true);
      for (const old of [...this.live.values()]) if (old.record.configName !== target) await this.remove(old);
    }
    this.publish(doc);
    await this.save((d) => {
      let changed = false;
      if (ready && (d.EndpointStatus === 'Creating' || d.EndpointStatus === 'Updating' || d.EndpointStatus === 'RollingBack') && JSON.stringify([d._clary.desiredConfig, d._clary.desired]) === snapshot) {
        d.EndpointStatus = 'InService';
        if (d._clary.deployedConfig === d._clary.desiredConfig) d._clary.deployedWeights = weightsOf(d._clary.desired);
        changed = true;
      }
      const summaries = variantSummaries(d, this.live.values(), this.deps.platform.now());
      if (summariesDiffer(d.ProductionVariants, summaries)) {
        d.ProductionVariants = summaries;
        changed = true;
      }
      return changed ? d : undefined;
    }, true);
  }

  private of(config: string, variant: string): EndpointInstance[] {
    return [...this.live.values()].filter((i) => i.record.configName === config && i.record.variant === variant);
  }

  private launch(doc: EndpointDoc, v: FleetVariant, configName: string): void {
    const id = `i-${randomBytes(8).toString('hex')}`;
    const record: EndpointInstanceRecord = {
      id,
      variant: v.VariantName,
      configName,
      modelName: v.ModelName,
      instanceType: v.InstanceType,
      port: 0,
      allocationId: `${doc.EndpointArn}#${id}`,
      startedAt: this.deps.platform.now(),
    };
    const inst = new EndpointInstance(this.deps, { name: this.name, arn: doc.EndpointArn }, record, v, (i) => this.changed(i));
    this.live.set(id, inst);
    void inst.launch(() => this.persistInstances().then(() => undefined));
  }

  private async remove(inst: EndpointInstance): Promise<void> {
    this.deps.routes.removeInstance(this.name, inst.record.id);
    await inst.stop();
    this.live.delete(inst.record.id);
    await this.persistInstances();
  }

  /** The route InvokeEndpoint uses: the deployed fleet's healthy instances, weighted. */
  private publish(doc: EndpointDoc): void {
    const c = doc._clary;
    const deployed = c.deployedConfig;
    if (!deployed) return this.deps.routes.delete(this.name);
    const weights = deployed === c.desiredConfig ? weightsOf(c.desired) : c.deployedWeights ?? {};
    const captureKey = JSON.stringify(doc.DataCaptureConfig ?? null);
    if (captureKey !== this.captureKey) {
      this.captureKey = captureKey;
      this.capture = endpointCapture(this.deps.routes.captureSink, this.name, doc.DataCaptureConfig);
    }
    this.deps.routes.set({
      name: this.name,
      capture: this.capture,
      variants: (c.fleets[deployed] ?? []).map((v) => ({
        name: v.VariantName,
        weight: weights[v.VariantName] ?? v.InitialVariantWeight,
        instances: this.of(deployed, v.VariantName).filter((i) => i.state === 'healthy').map((i) => i.route),
      })),
    });
  }

  private async failEndpoint(reason: string): Promise<void> {
    await this.stopAll();
    await this.save((d) => {
      if (d.EndpointStatus !== 'Creating') return undefined;
      d.EndpointStatus = 'Failed';
      d.FailureReason = reason.slice(0, 1024);
      d.ProductionVariants = variantSummaries(d, [], this.deps.platform.now()).map((v) => ({ ...v, VariantStatus: undefined }));
      for (const v of d.ProductionVariants) delete v.VariantStatus;
      return d;
    }, true);
    this.deps.platform.log.warn({ endpoint: this.name, reason }, 'endpoint failed');
  }

  /** A new fleet failed during UpdateEndpoint: it is stopped, the old one keeps serving (RollingBack, then InService with the reason). */
  private async rollBack(doc: EndpointDoc, reason: string): Promise<void> {
    const target = doc._clary.desiredConfig;
    await this.save((d) => (d.EndpointStatus === 'Updating' ? { ...d, EndpointStatus: 'RollingBack' } : undefined), true);
    for (const i of [...this.live.values()]) if (i.record.configName === target) await this.remove(i);
    await this.save((d) => {
      const deployed = d._clary.deployedConfig!;
      d.EndpointStatus = 'InService';
      d.FailureReason = reason.slice(0, 1024);
      d._clary.desiredConfig = deployed;
      d._clary.desired = this.currentIntent(d);
      d._clary.fleets = { [deployed]: d._clary.fleets[deployed]! };
      d.ProductionVariants = variantSummaries(d, this.live.values(), this.deps.platform.now());
      return d;
    }, true);
    this.deps.platform.log.warn({ endpoint: this.name, reason }, 'endpoint update failed; rolled back');
  }

  /** New instances of UpdateEndpointWeightsAndCapacities never became healthy: keep what serves. */
  private async abandonScaling(doc: EndpointDoc, reason: string): Promise<void> {
    for (const i of [...this.live.values()]) if (i.state !== 'healthy') await this.remove(i);
    await this.save((d) => {
      d.EndpointStatus = 'InService';
      d.FailureReason = reason.slice(0, 1024);
      d._clary.desired = this.currentIntent(d);
      d.ProductionVariants = variantSummaries(d, this.live.values(), this.deps.platform.now());
      return d;
    }, true);
  }

  /** The deployed fleet's weights and the counts that serve now (at least 1 per variant). */
  private currentIntent(d: EndpointDoc): Record<string, VariantIntent> {
    const deployed = d._clary.deployedConfig!;
    const out: Record<string, VariantIntent> = {};
    for (const v of d._clary.fleets[deployed] ?? []) {
      const healthy = this.of(deployed, v.VariantName).filter((i) => i.state === 'healthy').length;
      out[v.VariantName] = { weight: d._clary.deployedWeights?.[v.VariantName] ?? v.InitialVariantWeight, count: Math.max(1, healthy) };
    }
    return out;
  }

  private async stopAll(): Promise<void> {
    this.deps.routes.delete(this.name);
    await Promise.all([...this.live.values()].map((i) => i.stop()));
    this.live.clear();
    await this.persistInstances().catch(() => undefined);
  }

  private persistInstances(): Promise<unknown> {
    const records = [...this.live.values()].map((i) => structuredClone(i.record));
    return this.save((d) => {
      if (JSON.stringify(d._clary.instances) === JSON.stringify(records)) return undefined;
      d._clary.instances = records;
      return d;
    }, false);
  }

  private save(mutate: (d: EndpointDoc) => EndpointDoc | undefined, touch: boolean): Promise<EndpointDoc | undefined> {
    return updateEndpoint(this.deps.platform.store, this.name, mutate, this.deps.platform.now(), touch);
  }

  /** Clary is shutting down: instances keep running; their output cursors are recorded for the next Clary. */
  async detach(): Promise<void> {
    await Promise.all([...this.live.values()].map((i) => i.detach()));
    await this.persistInstances().catch(() => undefined);
  }
}

const weightsOf = (desired: Record<string, VariantIntent>): Record<string, number> => Object.fromEntries(Object.entries(desired).map(([k, v]) => [k, v.weight]));
