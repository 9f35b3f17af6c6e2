import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ServiceError } from '../../core/errors.js';
import { children, document, escapeXml, type XmlNode } from './xml.js';

/** x-amz-id-2: an opaque host id, stable per request id. */
export const hostId = (requestId: string): string => createHash('sha256').update(`clary:${requestId}`).digest('base64');

export function baseHeaders(requestId: string): Record<string, string> {
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), server: 'Clary' };
}

/** A 200 (or given status) XML answer. */
export function sendXml(res: ServerResponse, requestId: string, root: string, node: XmlNode, extra: Record<string, string> = {}, status = 200): void {
  const body = document(root, node);
  res.writeHead(status, { ...baseHeaders(requestId), ...extra, 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** An empty answer (204 for deletes, 200 for PUTs that return only headers). */
export function sendEmpty(res: ServerResponse, requestId: string, status: number, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...baseHeaders(requestId), ...extra, 'content-length': '0' });
  res.end();
}

/** S3's error body; HEAD answers carry the status and headers only. */
export function errorXml(err: ServiceError, resource: string, requestId: string): string {
  const fields: XmlNode = {};
  for (const [k, v] of Object.entries(err.fields)) if (v !== undefined) (fields as Record<string, unknown>)[k] = String(v);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `${children(fields)}<Resource>${escapeXml(resource)}</Resource><RequestId>${requestId}</RequestId><HostId>${hostId(requestId)}</HostId></Error>`
  );
}

export function writeS3Error(res: ServerResponse, requestId: string, err: ServiceError, url: URL): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const head = res.req?.method === 'HEAD' || err.status === 304;
  const body = head ? '' : errorXml(err, safeDecode(url.pathname), requestId);
  const headers: Record<string, string | number> = { ...err.headers, ...baseHeaders(requestId), 'content-length': Buffer.byteLength(body) };
  if (!head) headers['content-type'] = 'application/xml';
  // A request whose body was refused is not read further; close the connection rather than drain gigabytes.
  if (res.req && !res.req.complete && err.status !== 304) headers.connection = 'close';
  res.writeHead(err.status, headers);
  res.end(body);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
