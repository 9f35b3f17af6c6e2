import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ServiceError } from '../../core/errors.js';
import { pickInstance, pickVariant, type InstanceRoute } from '../../controllers/hosting/routing-table.js';
import type { Platform, RequestContext } from '../service.js';
import { modelStreamError, payloadPart } from './event-stream.js';
import { anyOther, logGroupArn, MAX_ATTEMPTS, MODEL_TIMEOUT_MS, observe, whyNoRoute, type RuntimeHosting } from './invoke-endpoint.js';
import { ConnectFailure, forwardHeaders, ModelTimeout, openModelStream, readAll } from './model-proxy.js';
import { modelError, modelTimeout, noHealthyInstance, unknownVariant } from './runtime-errors.js';

/**
 * InvokeEndpointWithResponseStream: routed like InvokeEndpoint; the model's answer goes back as an
 * AWS event stream, one PayloadPart per chunk the model sends (a model that does not stream gives
 * one part). Accept arrives as X-Amzn-SageMaker-Accept and goes to the model as Accept; the
 * model's Content-Type comes back as X-Amzn-SageMaker-Content-Type. A model that answers 4xx/5xx
 * before streaming is ModelError (424); a stream cut short ends with a ModelStreamError event.
 */
export async function invokeEndpointWithResponseStream(platform: Platform, hosting: RuntimeHosting, name: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer): Promise<void> {
  const t0 = performance.now();
  const route = hosting.routes.get(name);
  if (!route) throw await whyNoRoute(platform, name, ctx.principal.accountId);
  const target = req.headers['x-amzn-sagemaker-target-variant'];
  const variant = pickVariant(route, typeof target === 'string' ? target : undefined);
  if (!variant) throw typeof target === 'string' ? unknownVariant(name, target) : noHealthyInstance(name);
  const headers = forwardHeaders(req.headers, body.length);
  const accept = req.headers['x-amzn-sagemaker-accept'];
  if (typeof accept === 'string') headers.accept = accept;
  let tried: InstanceRoute | undefined;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const instance = pickInstance(variant, tried) ?? (typeof target === 'string' ? undefined : anyOther(route, variant, tried));
    if (!instance) break;
    tried = instance;
    instance.outstanding++;
    const t1 = performance.now();
    let answer: IncomingMessage;
    try {
      answer = await openModelStream(instance.port, headers, body, MODEL_TIMEOUT_MS);
    } catch (e) {
      instance.outstanding--;
      if (e instanceof ConnectFailure) continue;
      observe(hosting, name, instance.variant, t0, t1, performance.now(), 0);
      if (e instanceof ModelTimeout) throw modelTimeout(logGroupArn(platform, name));
      throw new ServiceError('ModelError', `The model server's connection failed: ${(e as Error).message}`, 424, { OriginalStatusCode: 0, OriginalMessage: (e as Error).message, LogStreamArn: logGroupArn(platform, name) });
    }
    const status = answer.statusCode ?? 0;
    if (status < 200 || status > 299) {
      const text = (await readAll(answer).catch(() => Buffer.alloc(0))).toString('utf8').slice(0, 4096);
      instance.outstanding--;
      observe(hosting, name, instance.variant, t0, t1, performance.now(), status);
      throw modelError({ status, body: text, region: platform.config.region, account: ctx.principal.accountId, endpoint: name, logGroupArn: logGroupArn(platform, name) });
    }
    const out: Record<string, string> = {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-sagemaker-content-type': (answer.headers['content-type'] as string | undefined) ?? 'application/octet-stream',
      'x-amzn-invoked-production-variant': instance.variant,
      'x-amzn-requestid': ctx.requestId,
    };
    const attrs = answer.headers['x-amzn-sagemaker-custom-attributes'];
    if (typeof attrs === 'string') out['x-amzn-sagemaker-custom-attributes'] = attrs;
    res.writeHead(200, out);
    try {
      for await (const chunk of answer) {
        if ((chunk as Buffer).length > 0) res.write(payloadPart(chunk as Buffer));
      }
    } catch (e) {
      res.write(modelStreamError(`The model server's response stream broke: ${(e as Error).message}`, 'StreamBroken'));
    } finally {
      instance.outstanding--;
    }
    res.end();
    observe(hosting, name, instance.variant, t0, t1, performance.now(), status);
    return;
  }
  throw noHealthyInstance(name);
}
