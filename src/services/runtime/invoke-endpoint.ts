import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Platform, RequestContext } from '../service.js';
import { forwardHeaders, invokeModel } from './model-proxy.js';
import { attemptInstances, logGroupArn, observe, type RuntimeHosting } from './route-attempt.js';
import { modelError } from './runtime-errors.js';

export type { RuntimeHosting } from './route-attempt.js';

/** SageMaker's limit for a container's answer. */
export const MODEL_TIMEOUT_MS = 60_000;

/**
 * InvokeEndpoint: variant by weight (or TargetVariant), instance by fewest requests in flight
 * (route-attempt.ts), POST /invocations over a kept-alive connection, the answer passed back with
 * Content-Type, custom attributes and x-Amzn-Invoked-Production-Variant. No store read on this
 * path unless the endpoint has no route (then only to say why).
 */
export async function invokeEndpoint(platform: Platform, hosting: RuntimeHosting, name: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer): Promise<void> {
  const t0 = performance.now();
  const headers = forwardHeaders(req.headers, body.length);
  const { route, instance, t1, answer } = await attemptInstances(platform, hosting, name, req, ctx, t0, (port) => invokeModel(port, headers, body, MODEL_TIMEOUT_MS));
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
}

const headerOf = (req: IncomingMessage, h: string): string | undefined => {
  const v = req.headers[h];
  return typeof v === 'string' ? v : undefined;
};
