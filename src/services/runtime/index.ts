import { ServiceError } from '../../core/errors.js';
import type { Platform } from '../service.js';
import type { RuntimeHandler } from '../../server/pipeline.js';
import { invokeEndpoint, type RuntimeHosting } from './invoke-endpoint.js';
import { invokeEndpointWithResponseStream } from './invoke-endpoint-stream.js';
import { invokeEndpointAsync } from './invoke-endpoint-async.js';
import { AsyncInvocationQueue } from './invoke-endpoint-async-worker.js';

export type { RuntimeHosting } from './invoke-endpoint.js';

/**
 * SageMaker Runtime (REST-JSON) on Clary's one port: POST /endpoints/{EndpointName}/invocations
 * and …/invocations-response-stream are served from the hosting controller's routing table
 * (docs/hosting.md); …/async-invocations (InvokeEndpointAsync) queues the request in the store for
 * the AsyncInvocationQueue, which the hosting controller starts and closes with itself.
 */
export const RUNTIME_OPERATIONS = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream', 'InvokeEndpointAsync'] as const;

const PATH = /^\/endpoints\/([^/]+)\/(invocations|async-invocations|invocations-response-stream)$/;

export function createRuntimeHandler(platform: Platform, hosting: RuntimeHosting): RuntimeHandler {
  const queue = new AsyncInvocationQueue(platform, hosting);
  hosting.routes.services.push(queue);
  return async (req, res, ctx, url, body) => {
    const m = PATH.exec(url.pathname);
    if (!m || req.method !== 'POST') {
      throw new ServiceError('UnknownOperationException', `SageMaker Runtime has no operation at ${req.method} ${url.pathname}.`, 404);
    }
    let name: string;
    try {
      name = decodeURIComponent(m[1]!);
    } catch {
      throw new ServiceError('ValidationError', 'Endpoint name is not valid URL encoding.', 400);
    }
    if (m[2] === 'invocations') return invokeEndpoint(platform, hosting, name, req, res, ctx, body);
    if (m[2] === 'invocations-response-stream') return invokeEndpointWithResponseStream(platform, hosting, name, req, res, ctx, body);
    return invokeEndpointAsync(platform, queue, name, req, res, ctx, body);
  };
}
