import type { ServerResponse } from 'node:http';
import type { ServiceError } from '../../core/errors.js';

/**
 * AWS query protocol (STS, IAM): form-encoded Action=…&Version=…&Member.N=…; XML responses
 * <{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata/></{Action}Response>.
 */
export const QUERY_NAMESPACES: Record<string, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
  cloudwatch: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
};

/**
 * Turns flat query parameters into a nested structure: "A.B=1", "L.member.1=x", "M.entry.1.key=k"
 * become {A:{B:"1"}, L:{member:{1:"x"}}}; list and map unwrapping is done against the model by
 * the validator's coercion step.
 */
export function parseQueryParams(params: URLSearchParams): { action: string | undefined; version: string | undefined; input: Record<string, unknown> } {
  // Prototype-less objects: parameter names are attacker-chosen ("__proto__.x=1" must stay data).
  const input: Record<string, unknown> = Object.create(null);
  let action: string | undefined;
  let version: string | undefined;
  for (const [k, v] of params) {
    if (k === 'Action') { action = v; continue; }
    if (k === 'Version') { version = v; continue; }
    const path = k.split('.');
    let node: Record<string, unknown> = input;
    for (let i = 0; i < path.length - 1; i++) {
      const seg = path[i]!;
      const next = node[seg];
      if (next === undefined || next === null || typeof next !== 'object') node[seg] = Object.create(null);
      node = node[seg] as Record<string, unknown>;
    }
    node[path[path.length - 1]!] = v;
  }
  return { action, version, input };
}

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

export function writeQuery(res: ServerResponse, service: string, action: string, requestId: string, result: unknown): void {
  const ns = QUERY_NAMESPACES[service] ?? '';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${ns}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}

export function writeQueryError(res: ServerResponse, service: string, requestId: string, err: ServiceError): void {
  const ns = QUERY_NAMESPACES[service] ?? '';
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${escapeXml(err.code)}</Code>` +
    `<Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(err.status, { ...err.headers, 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': requestId });
  res.end(body);
}
