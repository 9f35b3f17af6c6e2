import { ServiceError, notImplemented } from '../../core/errors.js';
import type { Platform } from '../service.js';
import type { RuntimeHandler } from '../../server/pipeline.js';
import { invokeEndpoint, type RuntimeHosting } from './invoke-endpoint.js';
import { invokeEndpointWithResponseStream } from './invoke-endpoint-stream.js';

export type { RuntimeHosting } from './invoke-endpoint.js';

/**
 * SageMaker Runtime (REST-JSON) on Clary's one port: POST /endpoints/{EndpointName}/invocations
 * and …/invocations-response-stream are served from the hosting controller's routing table
 * (docs/hosting.md); InvokeEndpointAsync answers NotImplemented.
 */
export const RUNTIME_OPERATIONS = ['InvokeEndpoint', 'InvokeEndpointWithResponseStream'] as const;

const PATH = /^\/endpoints\/([^/]+)\/(invocations|async-invocations|invocations-response-stream)$/;

export function createRuntimeHandler(platform: Platform, hosting: RuntimeHosting): RuntimeHandler {
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
    const endpoint = await platform.store.getResource('endpoint', name);
    if (!endpoint) throw new ServiceError('ValidationError', `Endpoint ${name} of account ${ctx.principal.accountId} not found.`, 400);
    throw notImplemented('SageMaker Runtime', 'InvokeEndpointAsync');
  };
}
