import type { ServerResponse } from 'node:http';
import { ServiceError } from '../../core/errors.js';

/**
 * AWS JSON 1.0/1.1: POST / with X-Amz-Target; bodies are JSON objects of PascalCase members;
 * timestamps travel as epoch seconds; errors are {"__type": code, "message": text}.
 */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ServiceError('SerializationException', 'Start of structure or map found where not expected: the request body is not valid JSON.', 400);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ServiceError('SerializationException', 'The request body must be a JSON object.', 400);
  }
  return value as Record<string, unknown>;
}

/** Dates become epoch seconds (fractional), Buffers base64; everything else as is. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: any, key: string, v: unknown) {
    const raw = this[key];
    if (raw instanceof Date) return raw.getTime() / 1000;
    if (Buffer.isBuffer(raw)) return raw.toString('base64');
    if (raw instanceof Uint8Array) return Buffer.from(raw).toString('base64');
    return v;
  });
}

export function writeJson(res: ServerResponse, requestId: string, output: unknown, contentType = 'application/x-amz-json-1.1'): void {
  const body = toWireJson(output ?? {});
  res.writeHead(200, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

export function writeJsonError(res: ServerResponse, requestId: string, err: ServiceError, contentType = 'application/x-amz-json-1.1'): void {
  const body = JSON.stringify({ __type: err.code, message: err.message, Message: err.message, ...err.fields });
  res.writeHead(err.status, {
    ...err.headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': err.code,
  });
  res.end(body);
}
