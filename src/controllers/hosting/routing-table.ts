import type { DataCaptureSink, EndpointCapture } from './data-capture.js';

/**
 * Where InvokeEndpoint sends requests: per endpoint, its serving variants with their weights and
 * healthy instances (loopback ports). Kept in memory and updated by the hosting controller, so the
 * invocation path never reads the store. Routes are replaced whole (an update switches atomically).
 */
export interface InstanceRoute {
  readonly id: string;
  readonly port: number;
  readonly variant: string;
  /** Requests in flight (least-outstanding-requests choice). */
  outstanding: number;
}

export interface VariantRoute {
  readonly name: string;
  readonly weight: number;
  readonly instances: readonly InstanceRoute[];
}

export interface EndpointRoute {
  readonly name: string;
  readonly variants: readonly VariantRoute[];
  /** Set when the endpoint captures invocations (DataCaptureConfig, data-capture.ts). */
  readonly capture?: EndpointCapture;
}

/** Runtime pieces that live as long as the routes (the async-inference queue): started and closed with the hosting controller. */
export interface RuntimeService {
  start(): void;
  close(): Promise<void>;
}

export class RoutingTable {
  private readonly routes = new Map<string, EndpointRoute>();
  /** Data capture's buffers; the hosting controller creates it (and flushes it on close). */
  captureSink: DataCaptureSink | undefined;
  readonly services: RuntimeService[] = [];

  get(endpoint: string): EndpointRoute | undefined {
    return this.routes.get(endpoint);
  }

  set(route: EndpointRoute): void {
    this.routes.set(route.name, route);
  }

  delete(endpoint: string): void {
    this.routes.delete(endpoint);
  }

  /** Takes one instance out of its endpoint's route at once (it exited or stopped answering). */
  removeInstance(endpoint: string, instanceId: string): void {
    const r = this.routes.get(endpoint);
    if (!r) return;
    this.routes.set(endpoint, { name: r.name, capture: r.capture, variants: r.variants.map((v) => ({ ...v, instances: v.instances.filter((i) => i.id !== instanceId) })) });
  }
}

/**
 * The variant for one request: TargetVariant when given (undefined when the endpoint has no such
 * variant), else random by weight among variants that have a healthy instance (weight 0 gets none
 * unless every variant is at 0).
 */
export function pickVariant(route: EndpointRoute, target?: string, random = Math.random): VariantRoute | undefined {
  const vs = route.variants;
  if (target !== undefined) {
    for (const v of vs) if (v.name === target) return v;
    return undefined;
  }
  let total = 0;
  for (const v of vs) if (v.instances.length > 0) total += v.weight;
  if (total <= 0) {
    for (const v of vs) if (v.instances.length > 0) return v;
    return vs[0];
  }
  let x = random() * total;
  for (const v of vs) {
    if (v.instances.length === 0) continue;
    x -= v.weight;
    if (x < 0) return v;
  }
  for (let i = vs.length - 1; i >= 0; i--) if (vs[i]!.instances.length > 0) return vs[i];
  return undefined;
}

/** The instance with the fewest requests in flight (first among equals, rotating start to spread ties). */
let rotor = 0;
export function pickInstance(variant: VariantRoute, exclude?: InstanceRoute): InstanceRoute | undefined {
  const list = variant.instances;
  const n = list.length;
  if (n === 0) return undefined;
  rotor = (rotor + 1) % 1_000_000;
  let best: InstanceRoute | undefined;
  for (let k = 0; k < n; k++) {
    const i = list[(rotor + k) % n]!;
    if (i === exclude) continue;
    if (!best || i.outstanding < best.outstanding) best = i;
  }
  return best;
}
