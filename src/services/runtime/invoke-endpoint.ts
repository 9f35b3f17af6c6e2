import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { logsArn } from '../../core/arn.js';
import { ServiceError } from '../../core/errors.js';
import { pickInstance, pickVariant, type EndpointRoute, type InstanceRoute, type RoutingTable, type VariantRoute } from '../../controllers/hosting/routing-table.js';
import type { InvocationObserver } from '../../controllers/hosting/invocation-observer.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../sagemaker/endpoints-doc.js';
import type { Platform, RequestContext } from '../service.js';
import { ConnectFailure, forwardHeaders, invokeModel, ModelTimeout, type ModelResponse } from './model-proxy.js';
import { endpointNotFound, endpointNotInService, modelError, modelTimeout, noHealthyInstance, unknownVariant } from './runtime-errors.js';

/** What InvokeEndpoint needs from hosting: the routing table and the metrics observer (replaceable at run time). */
export interface RuntimeHosting {
  readonly routes: RoutingTable;
  observer: InvocationObserver;
}

/** SageMaker's limit for a container's answer. */
export const MODEL_TIMEOUT_MS = 60_000;
/** Instances tried for one request when connections are refused (an instance that just died). */
export const MAX_ATTEMPTS = 3;

/**
 * InvokeEndpoint: variant by weight (or TargetVariant), instance by fewest requests in flight,
 * POST /invocations over a kept-alive connection, the answer passed back with Content-Type,
 * custom attributes and x-Amzn-Invoked-Production-Variant. No store read on this path unless
 * the endpoint has no route (then only to say why).
 */
export async function invokeEndpoint(platform: Platform, hosting: RuntimeHosting, name: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer): Promise<void> {
  const t0 = performance.now();
  const route = hosting.routes.get(name);
  if (!route) throw await whyNoRoute(platform, name, ctx.principal.accountId);
  const target = req.headers['x-amzn-sagemaker-target-variant'];
  const variant = pickVariant(route, typeof target === 'string' ? target : undefined);
  if (!variant) {
    if (typeof target === 'string') throw unknownVariant(name, target);
    throw noHealthyInstance(name);
  }
  const headers = forwardHeaders(req.headers, body.length);
  let tried: InstanceRoute | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const instance = pickInstance(variant, tried) ?? (typeof target === 'string' ? undefined : anyOther(route, variant, tried));
    if (!instance) break;
    tried = instance;
    instance.outstanding++;
    const t1 = performance.now();
    let answer: ModelResponse;
    try {
      answer = await invokeModel(instance.port, headers, body, MODEL_TIMEOUT_MS);
    } catch (e) {
      instance.outstanding--;
      if (e instanceof ConnectFailure) continue;
      observe(hosting, name, instance.variant, t0, t1, performance.now(), 0);
      if (e instanceof ModelTimeout) throw modelTimeout(logGroupArn(platform, name));
      throw new ServiceError('ModelError', `The model server's connection failed: ${(e as Error).message}`, 424, { OriginalStatusCode: 0, OriginalMessage: (e as Error).message, LogStreamArn: logGroupArn(platform, name) });
    }
    instance.outstanding--;
    const t2 = performance.now();
    if (answer.status < 200 || answer.status > 299) {
      observe(hosting, name, instance.variant, t0, t1, t2, answer.status);
      throw modelError({ status: answer.status, body: answer.body.toString('utf8').slice(0, 4096), region: platform.config.region, account: ctx.principal.accountId, endpoint: name, logGroupArn: logGroupArn(platform, name) });
    }
    const out: Record<string, string | number> = {
      'content-type': (answer.headers['content-type'] as string | undefined) ?? 'application/octet-stream',
      'content-length': answer.body.length,
      'x-amzn-invoked-production-variant': instance.variant,
      'x-amzn-requestid': ctx.requestId,
    };
    const attrs = answer.headers['x-amzn-sagemaker-custom-attributes'];
    if (typeof attrs === 'string') out['x-amzn-sagemaker-custom-attributes'] = attrs;
    res.writeHead(200, out);
    res.end(answer.body);
    observe(hosting, name, instance.variant, t0, t1, t2, answer.status);
    // Data capture (docs/hosting.md): absent unless enabled; when enabled, sampling and an in-memory append.
    const capture = route.capture;
    if (capture) capture.offer(instance.variant, req.headers['content-type'], body, out['content-type'] as string, answer.body, headerOf(req, 'x-amzn-sagemaker-inference-id'));
    return;
  }
  throw noHealthyInstance(name);
}

const headerOf = (req: IncomingMessage, h: string): string | undefined => {
  const v = req.headers[h];
  return typeof v === 'string' ? v : undefined;
};

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

export async function whyNoRoute(platform: Platform, name: string, account: string): Promise<ServiceError> {
  const rec = await platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, name);
  if (!rec) return endpointNotFound(name, account);
  if (rec.doc.EndpointStatus === 'InService' || rec.doc.EndpointStatus === 'Updating') return noHealthyInstance(name);
  return endpointNotInService(name, account, rec.doc.EndpointStatus);
}
