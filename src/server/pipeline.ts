import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { internalFailure, isServiceError, notImplemented, ServiceError } from '../core/errors.js';
import { requestId as newRequestId } from '../core/ids.js';
import type { Platform, RequestContext, ServiceModule } from '../services/service.js';
import { getServiceModel, validateInput } from '../models/index.js';
import { authenticate } from './auth/authenticate.js';
import type { AuthResult, KeyResolver } from './auth/types.js';
import { readBody, requestTooLarge } from './body.js';
import { classify, type Classification, type ServiceId } from './classify.js';
import { parseJsonBody, writeJson, writeJsonError } from './protocols/aws-json.js';
import { parseQueryParams, writeQuery, writeQueryError } from './protocols/aws-query.js';
import { writeRestJsonError } from './protocols/rest-json.js';
import { parseCborBody, writeCbor, writeCborError } from './protocols/rpc-v2-cbor.js';
import { isQueryCompatible, queryCompatibleError } from './protocols/query-compatible.js';
import { decodeRequestBody } from './protocols/content-encoding.js';
import { PUBLIC_INTERNAL_ROUTES } from './internal-routes.js';

/**
 * The request pipeline (docs/request-pipeline.md): classify → read body (bounded) → authenticate
 * (SigV4 → principal) → parse → authorize → validate (service model) → dispatch → serialize.
 * Every error, from any step, is a ServiceError turned into the service's wire shape here.
 */
export interface StreamingHandler {
  (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, url: URL, auth: AuthResult): Promise<void>;
}

export interface RuntimeHandler {
  (req: IncomingMessage, res: ServerResponse, ctx: RequestContext, url: URL, body: Buffer): Promise<void>;
}

/** InvokeEndpoint's payload limit (6 MB); the body is read up to this and refused past it. */
export const MAX_RUNTIME_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface PipelineDeps {
  readonly platform: Platform;
  readonly keys: KeyResolver;
  readonly services: Partial<Record<ServiceId, ServiceModule>>;
  /** S3 (REST-XML): streams its own bodies. */
  readonly s3: StreamingHandler;
  readonly writeS3Error: (res: ServerResponse, requestId: string, err: ServiceError, url: URL) => void;
  /** SageMaker Runtime (REST-JSON): gets its body already read (bounded) and hashed for SigV4. */
  readonly runtime: RuntimeHandler;
  /** Clary's own routes under /_clary/. */
  readonly internal: (req: IncomingMessage, res: ServerResponse, url: URL, principal?: import('../core/principal.js').Principal) => Promise<void>;
}

const SERVICE_NAMES: Record<ServiceId, string> = {
  internal: 'Clary',
  sagemaker: 'SageMaker',
  'sagemaker-runtime': 'SageMaker Runtime',
  s3: 'S3',
  logs: 'CloudWatch Logs',
  sts: 'STS',
  iam: 'IAM',
  'service-quotas': 'Service Quotas',
  'application-autoscaling': 'Application Auto Scaling',
  cloudwatch: 'CloudWatch',
};

export function createPipeline(deps: PipelineDeps) {
  const { platform } = deps;
  const limits = platform.config.limits;

  function context(requestId: string, auth: AuthResult, abort: RequestAbort): RequestContext {
    let log: RequestContext['log'] | undefined;
    return {
      platform,
      requestId,
      principal: auth.principal,
      // Made on first use: most requests never log.
      get log() {
        return (log ??= platform.log.child({ requestId }));
      },
      get signal() {
        return abort.signal;
      },
    };
  }

  async function auth(req: IncomingMessage, url: URL, family: 'json' | 'query' | 'rest-json' | 's3', body?: Buffer): Promise<AuthResult> {
    return authenticate(req, url, {
      keys: deps.keys,
      family,
      now: platform.now(),
      clockSkewSeconds: limits.clockSkewSeconds,
      bodySha256: body === undefined ? undefined : createHash('sha256').update(body).digest('hex'),
    });
  }

  async function authorize(ctx: RequestContext, module: ServiceModule, operation: string, input: unknown): Promise<void> {
    const resource = module.resourceOf?.(operation, input, platform) ?? '*';
    const context = module.conditionKeysOf && !ctx.principal.isAdmin ? await module.conditionKeysOf(operation, input, platform, resource) : undefined;
    const decision = await platform.authorizer.authorize(ctx.principal, { action: `${module.actionPrefix}:${operation}`, resource, context });
    if (!decision.allowed) {
      // IAM and STS answer AccessDenied with 403; the JSON services AccessDeniedException with 400.
      const query = module.actionPrefix === 'sts' || module.actionPrefix === 'iam';
      throw new ServiceError(query ? 'AccessDenied' : 'AccessDeniedException', decision.reason, query ? 403 : 400);
    }
  }

  async function dispatch(service: ServiceId, operation: string, input: Record<string, unknown>, ctx: RequestContext, protocol?: 'query' | 'json'): Promise<unknown> {
    const module = deps.services[service];
    const model = module ? getServiceModel(module.model) : undefined;
    if (!module || !model) throw notImplemented(SERVICE_NAMES[service], operation || '(none)');
    if (!model.operations[operation]) {
      throw new ServiceError(
        service === 'sts' || service === 'iam' ? 'InvalidAction' : 'UnknownOperationException',
        `${SERVICE_NAMES[service]} has no operation named "${operation}".`,
        400,
      );
    }
    const handler = module.handlers[operation];
    if (!handler) throw notImplemented(SERVICE_NAMES[service], operation);
    await authorize(ctx, module, operation, input);
    const valid = validateInput(model, operation, input, { protocol });
    return handler(valid, ctx);
  }

  async function handleJson(req: IncomingMessage, res: ServerResponse, url: URL, cls: Classification, requestId: string, abort: RequestAbort) {
    const body = await readBody(req, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes));
    const a = await auth(req, url, 'json', body);
    const input = parseJsonBody(decodeRequestBody(req, body, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes)));
    const output = await dispatch(cls.service, cls.target ?? '', input, context(requestId, a, abort), 'json');
    writeJson(res, requestId, output, req.headers['content-type']?.startsWith('application/x-amz-json-1.0') ? 'application/x-amz-json-1.0' : undefined);
  }

  async function handleQuery(req: IncomingMessage, res: ServerResponse, url: URL, cls: Classification, requestId: string, abort: RequestAbort) {
    const body = await readBody(req, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes, 'RequestEntityTooLarge'));
    const a = await auth(req, url, 'query', body);
    const params = new URLSearchParams(url.search);
    const decoded = decodeRequestBody(req, body, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes, 'RequestEntityTooLarge'));
    for (const [k, v] of new URLSearchParams(decoded.toString('utf8'))) params.append(k, v);
    const { action, input } = parseQueryParams(params);
    if (!action) throw new ServiceError('MissingAction', 'The request must contain the parameter Action.', 400);
    const output = await dispatch(cls.service, action, input, context(requestId, a, abort), 'query');
    writeQuery(res, cls.service, action, requestId, output);
  }

  async function handleCbor(req: IncomingMessage, res: ServerResponse, url: URL, cls: Classification, requestId: string, abort: RequestAbort) {
    const body = await readBody(req, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes));
    const a = await auth(req, url, 'json', body);
    const input = parseCborBody(decodeRequestBody(req, body, limits.maxRequestBodyBytes, () => requestTooLarge(limits.maxRequestBodyBytes)));
    const output = await dispatch(cls.service, cls.target ?? '', input, context(requestId, a, abort), 'json');
    writeCbor(res, requestId, output);
  }

  function writeError(res: ServerResponse, cls: Classification, requestId: string, err: ServiceError, url: URL): void {
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
    switch (cls.protocol) {
      case 'json': {
        if (!isQueryCompatible(cls.service)) return writeJsonError(res, requestId, err);
        const q = queryCompatibleError(cls.service, err);
        return writeJsonError(res, requestId, new ServiceError(q.type, q.err.message, q.err.status, { ...q.err.fields }, { ...q.err.headers }), 'application/x-amz-json-1.0');
      }
      case 'rpc-v2-cbor': {
        const q = queryCompatibleError(cls.service, err);
        return writeCborError(res, requestId, q.err, q.type);
      }
      case 'query':
        return writeQueryError(res, cls.service, requestId, err);
      case 'rest-xml':
        return deps.writeS3Error(res, requestId, err, url);
      default:
        return writeRestJsonError(res, requestId, err);
    }
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const abort = new RequestAbort();
    res.on('close', () => {
      if (!res.writableFinished) abort.disconnected();
    });
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = new URL('http://localhost/');
    }
    let cls: Classification = { service: 's3', protocol: 'rest-xml' };
    try {
      cls = classify(req, url);
      switch (cls.protocol) {
        case 'internal': {
          if (PUBLIC_INTERNAL_ROUTES.has(url.pathname)) return await deps.internal(req, res, url);
          const a = await auth(req, url, 'rest-json', await readBody(req, 0, () => requestTooLarge(0)));
          return await deps.internal(req, res, url, a.principal);
        }
        case 'json':
          return await handleJson(req, res, url, cls, requestId, abort);
        case 'query':
          return await handleQuery(req, res, url, cls, requestId, abort);
        case 'rpc-v2-cbor':
          return await handleCbor(req, res, url, cls, requestId, abort);
        case 'rest-json': {
          const body = await readBody(req, MAX_RUNTIME_PAYLOAD_BYTES, () =>
            new ServiceError('ValidationError', `Request payload exceeds the maximum of ${MAX_RUNTIME_PAYLOAD_BYTES} bytes allowed for InvokeEndpoint.`, 400),
          );
          const a = await auth(req, url, 'rest-json', body);
          return await deps.runtime(req, res, context(requestId, a, abort), url, body);
        }
        case 'rest-xml': {
          const a = await auth(req, url, 's3');
          return await deps.s3(req, res, context(requestId, a, abort), url, a);
        }
      }
    } catch (e) {
      let err: ServiceError;
      if (isServiceError(e)) {
        err = e;
      } else {
        platform.log.error({ err: e, requestId, url: url.pathname }, 'unexpected error');
        err = internalFailure(requestId);
      }
      if (!req.complete) req.resume();
      writeError(res, cls, requestId, err, url);
    }
  };
}

/**
 * The request's abort signal (aborted when the client disconnects before the answer is sent),
 * its AbortController made only when a handler asks for the signal: most never do, and one per
 * request is measurable on the InvokeEndpoint path. A signal asked for after the disconnect is
 * already aborted.
 */
class RequestAbort {
  private controller: AbortController | undefined;
  private gone = false;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort(new Error('client disconnected'));
    }
    return this.controller.signal;
  }

  disconnected(): void {
    if (this.gone) return;
    this.gone = true;
    this.controller?.abort(new Error('client disconnected'));
  }
}
