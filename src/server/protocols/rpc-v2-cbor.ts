import type { ServerResponse } from 'node:http';
import { cbor, dateToTag } from '@smithy/core/cbor';
import { ServiceError } from '../../core/errors.js';

/**
 * Smithy RPC v2 CBOR (what botocore speaks to CloudWatch, the first protocol in its model):
 * POST /service/<ServiceShape>/operation/<Operation> with `smithy-protocol: rpc-v2-cbor`; CBOR
 * bodies both ways, timestamps as tag 1 (epoch seconds), blobs as byte strings; errors are
 * `{__type: "<namespace>#<Shape>", message}` with the error's HTTP status. The codec is
 * @smithy/core's (the one the AWS SDK for JavaScript uses).
 */
const isTag = (v: unknown): v is { tag: number; value: unknown } =>
  v !== null && typeof v === 'object' && typeof (v as { tag?: unknown }).tag === 'number' && 'value' in (v as object);

/** CBOR-decoded values as the JSON deserializer expects them: timestamps as epoch seconds, blobs as base64. */
function toJsonShape(v: unknown, depth: number): unknown {
  if (depth > 100) throw new ServiceError('SerializationException', 'The CBOR request body nests too deeply.', 400);
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map((x) => toJsonShape(x, depth + 1));
  if (isTag(v)) {
    if (v.tag === 1 && typeof v.value === 'number') return v.value;
    if (v.tag === 1 && typeof v.value === 'bigint') return Number(v.value);
    throw new ServiceError('SerializationException', `Unsupported CBOR tag ${v.tag} in the request body.`, 400);
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toJsonShape(x, depth + 1);
    return out;
  }
  return v;
}

export function parseCborBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = cbor.deserialize(new Uint8Array(body.buffer, body.byteOffset, body.length));
  } catch {
    throw new ServiceError('SerializationException', 'The request body is not valid CBOR.', 400);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value) || isTag(value) || value instanceof Uint8Array) {
    throw new ServiceError('SerializationException', 'The request body must be a CBOR map.', 400);
  }
  return toJsonShape(value, 0) as Record<string, unknown>;
}

/** Output members for the codec: Dates become tag 1, undefined members are left out. */
function toCborShape(v: unknown): unknown {
  if (v instanceof Date) return dateToTag(v);
  if (Buffer.isBuffer(v)) return new Uint8Array(v);
  if (v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map(toCborShape);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = toCborShape(x);
    return out;
  }
  return v;
}

function send(res: ServerResponse, status: number, requestId: string, body: Uint8Array, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/cbor',
    'smithy-protocol': 'rpc-v2-cbor',
    'content-length': body.byteLength,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

export function writeCbor(res: ServerResponse, requestId: string, output: unknown): void {
  send(res, 200, requestId, cbor.serialize(toCborShape(output ?? {})));
}

/** `type` is the error's shape id (`com.amazonaws.cloudwatch#InvalidParameterValueException`), or its code when unmodeled. */
export function writeCborError(res: ServerResponse, requestId: string, err: ServiceError, type = err.code): void {
  const body = cbor.serialize(toCborShape({ __type: type, message: err.message, ...err.fields }));
  send(res, err.status, requestId, body, { ...err.headers });
}
