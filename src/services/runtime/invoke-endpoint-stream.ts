import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Platform, RequestContext } from '../service.js';
import { modelStreamError, payloadPart } from './event-stream.js';
import { MODEL_TIMEOUT_MS } from './invoke-endpoint.js';
import { forwardHeaders, openModelStream, readAll } from './model-proxy.js';
import { attemptInstances, logGroupArn, observe, type RuntimeHosting } from './route-attempt.js';
import { modelError } from './runtime-errors.js';

/**
 * InvokeEndpointWithResponseStream: routed like InvokeEndpoint; the model's answer goes back as an
 * AWS event stream, one PayloadPart per chunk the model sends (a model that does not stream gives
 * one part). Accept arrives as X-Amzn-SageMaker-Accept and goes to the model as Accept; the
 * model's Content-Type comes back as X-Amzn-SageMaker-Content-Type. A model that answers 4xx/5xx
 * before streaming is ModelError (424); a stream cut short ends with a ModelStreamError event.
 */
export async function invokeEndpointWithResponseStream(platform: Platform, hosting: RuntimeHosting, name: string, req: IncomingMessage, res: ServerResponse, ctx: RequestContext, body: Buffer): Promise<void> {
  const t0 = performance.now();
  const headers = forwardHeaders(req.headers, body.length);
  const accept = req.headers['x-amzn-sagemaker-accept'];
  if (typeof accept === 'string') headers.accept = accept;
  const { instance, t1, answer } = await attemptInstances(platform, hosting, name, req, ctx, t0, (port) => openModelStream(port, headers, body, MODEL_TIMEOUT_MS));
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
}
