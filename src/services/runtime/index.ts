import { ServiceError, notImplemented } from '../../core/errors.js';
import type { Platform } from '../service.js';
import type { RuntimeHandler } from '../../server/pipeline.js';

/**
 * SageMaker Runtime (REST-JSON): POST /endpoints/{EndpointName}/invocations and its async and
 * streaming siblings. Routed here on Clary's one port; serving endpoints arrives with hosting.
 */
/** Operations routed here (served once hosting lands; until then: unknown endpoints are reported as such). */
export const RUNTIME_OPERATIONS = [] as const;

const PATH = /^\/endpoints\/([^/]+)\/(invocations|async-invocations|invocations-response-stream)$/;

export function createRuntimeHandler(platform: Platform): RuntimeHandler {
  return async (req, _res, ctx, url) => {
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
    const endpoint = await platform.store.getResource('endpoint', name);
    if (!endpoint) {
      throw new ServiceError('ValidationError', `Endpoint ${name} of account ${ctx.principal.accountId} not found.`, 400);
    }
    throw notImplemented('SageMaker Runtime', m[2] === 'invocations' ? 'InvokeEndpoint' : m[2] === 'async-invocations' ? 'InvokeEndpointAsync' : 'InvokeEndpointWithResponseStream');
  };
}
