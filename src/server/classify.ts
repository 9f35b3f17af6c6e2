import type { IncomingMessage } from 'node:http';

/**
 * Decides which service a request is for, before anything is parsed. One port serves every
 * protocol; the decision uses, in order: Clary's own routes, the X-Amz-Target header (AWS JSON
 * services), the service named in the SigV4 credential scope (header or presigned query), and
 * finally the shape of the request.
 */
export type ServiceId =
  | 'internal'
  | 'sagemaker'
  | 'sagemaker-runtime'
  | 's3'
  | 'logs'
  | 'sts'
  | 'iam'
  | 'service-quotas'
  | 'application-autoscaling'
  | 'cloudwatch';

export type Protocol = 'internal' | 'json' | 'rest-json' | 'rest-xml' | 'query' | 'rpc-v2-cbor';

export interface Classification {
  readonly service: ServiceId;
  readonly protocol: Protocol;
  /** For JSON services, the operation named by X-Amz-Target (may be unknown to the model); for RPC v2 CBOR, the path's. */
  readonly target?: string;
}

const JSON_TARGETS: Record<string, ServiceId> = {
  SageMaker: 'sagemaker',
  Logs_20140328: 'logs',
  ServiceQuotasV20190624: 'service-quotas',
  AnyScaleFrontendService: 'application-autoscaling',
  GraniteServiceVersion20100801: 'cloudwatch',
};

/** The service named in a SigV4 credential scope: AKID/date/region/SERVICE/aws4_request. */
export function scopeService(req: IncomingMessage, url: URL): string | undefined {
  const auth = req.headers.authorization;
  const credential = auth ? /Credential=([^,\s]+)/.exec(auth)?.[1] : url.searchParams.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const parts = credential.split('/');
  return parts.length >= 5 ? parts[parts.length - 2] : undefined;
}

/** Smithy RPC v2 CBOR: POST /service/<ServiceShape>/operation/<Operation> with `smithy-protocol: rpc-v2-cbor`. */
const RPC_V2_SERVICES: Record<string, ServiceId> = { GraniteServiceVersion20100801: 'cloudwatch' };
const RPC_V2_PATH = /^\/service\/([A-Za-z0-9_.]+)\/operation\/([A-Za-z0-9_]*)$/;

const RUNTIME_PATH = /^\/endpoints\/[^/]+\/(invocations|async-invocations|invocations-response-stream)$/;

export function classify(req: IncomingMessage, url: URL): Classification {
  if (url.pathname.startsWith('/_clary/')) return { service: 'internal', protocol: 'internal' };

  if (req.headers['smithy-protocol'] === 'rpc-v2-cbor') {
    const m = RPC_V2_PATH.exec(url.pathname);
    const service = m && Object.hasOwn(RPC_V2_SERVICES, m[1]!) ? RPC_V2_SERVICES[m[1]!] : undefined;
    if (service) return { service, protocol: 'rpc-v2-cbor', target: m![2]! };
  }

  const targetHeader = req.headers['x-amz-target'];
  if (typeof targetHeader === 'string') {
    const dot = targetHeader.indexOf('.');
    const prefix = dot < 0 ? targetHeader : targetHeader.slice(0, dot);
    const service = JSON_TARGETS[prefix];
    if (service) return { service, protocol: 'json', target: targetHeader.slice(dot + 1) };
  }

  const scoped = scopeService(req, url);
  switch (scoped) {
    case 'sagemaker':
      return RUNTIME_PATH.test(url.pathname)
        ? { service: 'sagemaker-runtime', protocol: 'rest-json' }
        : { service: 'sagemaker', protocol: 'json', target: '' };
    case 'sts':
      return { service: 'sts', protocol: 'query' };
    case 'iam':
      return { service: 'iam', protocol: 'query' };
    case 'monitoring':
      return { service: 'cloudwatch', protocol: 'query' };
    case 's3':
      return { service: 's3', protocol: 'rest-xml' };
    case 'logs':
      return { service: 'logs', protocol: 'json', target: '' };
    default:
      break;
  }

  // Unsigned or unknown scope: answer in the shape the request looks like.
  if (RUNTIME_PATH.test(url.pathname)) return { service: 'sagemaker-runtime', protocol: 'rest-json' };
  const ct = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && url.pathname === '/' && ct.startsWith('application/x-www-form-urlencoded')) {
    return { service: 'sts', protocol: 'query' };
  }
  if (req.method === 'POST' && url.pathname === '/' && ct.startsWith('application/x-amz-json')) {
    return { service: 'sagemaker', protocol: 'json', target: '' };
  }
  return { service: 's3', protocol: 'rest-xml' };
}
