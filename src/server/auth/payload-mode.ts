import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import type { PayloadMode } from './types.js';

const HEX64 = /^[0-9a-f]{64}$/i;

const STREAMING: Record<string, PayloadMode> = {
  'UNSIGNED-PAYLOAD': { kind: 'unsigned' },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { kind: 'streaming-signed', trailer: false },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { kind: 'streaming-signed', trailer: true },
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { kind: 'streaming-unsigned-trailer' },
};

/**
 * S3's x-amz-content-sha256: required with header auth, optional (UNSIGNED-PAYLOAD) for presigned
 * URLs. Returns the value that goes into the canonical request and the mode the body is read in.
 */
export function s3PayloadMode(req: IncomingMessage, url: URL, presigned: boolean): { payloadHash: string; payload: PayloadMode } {
  const raw = req.headers['x-amz-content-sha256'];
  let value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined && presigned) value = url.searchParams.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD';
  if (value === undefined) {
    throw new ServiceError('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  }
  if (HEX64.test(value)) return { payloadHash: value, payload: { kind: 'hash', sha256: value.toLowerCase() } };
  const mode = STREAMING[value];
  if (mode) return { payloadHash: value, payload: mode };
  if (value.startsWith('STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD')) {
    throw new ServiceError('NotImplemented', 'Clary does not support SigV4a (AWS4-ECDSA-P256-SHA256) signed payloads; sign with AWS4-HMAC-SHA256.', 501);
  }
  throw new ServiceError(
    'InvalidArgument',
    'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.',
    400,
    { ArgumentName: 'x-amz-content-sha256', ArgumentValue: value.slice(0, 200) },
  );
}
