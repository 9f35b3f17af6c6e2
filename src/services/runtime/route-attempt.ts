import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { logsArn } from '../../core/arn.js';
import { ServiceError } from '../../core/errors.js';
import { pickInstance, pickVariant, type EndpointRoute, type InstanceRoute, type RoutingTable, type VariantRoute } from '../../controllers/hosting/routing-table.js';
import type { InvocationObserver } from '../../controllers/hosting/invocation-observer.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../sagemaker/endpoints-doc.js';
import type { Platform, RequestContext } from '../service.js';
import { ConnectFailure, ModelTimeout } from './model-proxy.js';
import { endpointNotFound, endpointNotInService, modelTimeout, noHealthyInstance, unknownVariant } from './runtime-errors.js';

/** What the runtime needs from hosting: the routing table and the metrics observer (replaceable at run time). */
export interface RuntimeHosting {
  readonly routes: RoutingTable;
  observer: InvocationObserver;
}

/** Instances tried for one request when connections are refused (an instance that just died). */
export const MAX_ATTEMPTS = 3;

/** The instance that took the request. Its `outstanding` count still includes this request: the caller decrements it when done. */
export interface Attempt<T> {
  readonly route: EndpointRoute;
  readonly instance: InstanceRoute;
  /** When the call to the model started (performance.now()). */
  readonly t1: number;
  readonly answer: T;
}

/**
 * The routing InvokeEndpoint and InvokeEndpointWithResponseStream share: the endpoint's route
 * (or why there is none), the variant by weight or X-Amzn-SageMaker-Target-Variant, then up to
 * MAX_ATTEMPTS instances by fewest requests in flight (another variant's when none is pinned).
 * A refused connection tries the next instance; a timeout or a broken connection is SageMaker's
 * ModelError (424), recorded in the invocation metrics.
 */
export async function attemptInstances<T>(
  platform: Platform,
  hosting: RuntimeHosting,
  name: string,
  req: IncomingMessage,
  ctx: RequestContext,
  t0: number,
  call: (port: number) => Promise<T>,
): Promise<Attempt<T>> {
  const route = hosting.routes.get(name);
  if (!route) throw await whyNoRoute(platform, name, ctx.principal.accountId);
  const header = req.headers['x-amzn-sagemaker-target-variant'];
  const target = typeof header === 'string' ? header : undefined;
  const variant = pickVariant(route, target);
  if (!variant) throw target !== undefined ? unknownVariant(name, target) : noHealthyInstance(name);
  let tried: InstanceRoute | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const instance = pickInstance(variant, tried) ?? (target !== undefined ? undefined : anyOther(route, variant, tried));
    if (!instance) break;
    tried = instance;
    instance.outstanding++;
    const t1 = performance.now();
    try {
      return { route, instance, t1, answer: await call(instance.port) };
    } catch (e) {
      instance.outstanding--;
      if (e instanceof ConnectFailure) continue;
      observe(hosting, name, instance.variant, t0, t1, performance.now(), 0);
      if (e instanceof ModelTimeout) throw modelTimeout(logGroupArn(platform, name));
      throw new ServiceError('ModelError', `The model server's connection failed: ${(e as Error).message}`, 424, { OriginalStatusCode: 0, OriginalMessage: (e as Error).message, LogStreamArn: logGroupArn(platform, name) });
    }
  }
  throw noHealthyInstance(name);
}

export function anyOther(route: EndpointRoute, except: VariantRoute, tried: InstanceRoute | undefined): InstanceRoute | undefined {
  for (const v of route.variants) {
    if (v === except) continue;
    const i = pickInstance(v, tried);
    if (i) return i;
  }
  return undefined;
}

export function observe(hosting: RuntimeHosting, endpoint: string, variant: string, t0: number, t1: number, t2: number, status: number): void {
  const model = t2 - t1;
  const overhead = performance.now() - t0 - model;
  try {
    hosting.observer.observe(endpoint, variant, { modelLatencyMicros: Math.round(model * 1000), overheadLatencyMicros: Math.max(0, Math.round(overhead * 1000)), status });
  } catch {
    // An observer's failure never fails an invocation.
  }
}

export const logGroupArn = (platform: Platform, name: string) => logsArn(platform.config, `log-group:/aws/sagemaker/Endpoints/${name}`);

/** The endpoint has no route: missing, not (yet) in service, or in service with no instance up. */
export async function whyNoRoute(platform: Platform, name: string, account: string): Promise<ServiceError> {
  const rec = await platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, name);
  if (!rec) return endpointNotFound(name, account);
  if (rec.doc.EndpointStatus === 'InService' || rec.doc.EndpointStatus === 'Updating') return noHealthyInstance(name);
  return endpointNotInService(name, account, rec.doc.EndpointStatus);
}
