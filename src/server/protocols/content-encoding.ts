import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { ServiceError } from '../../core/errors.js';

/**
 * Request compression (Smithy's @requestCompression: the SDKs gzip CloudWatch PutMetricData
 * bodies over 10 KiB and say so in Content-Encoding). The signature covers the compressed bytes,
 * so this runs after authentication; the inflated body is bounded like any other.
 */
export function decodeRequestBody(req: IncomingMessage, body: Buffer, maxBytes: number, tooLarge: () => ServiceError): Buffer {
  const encodings = String(req.headers['content-encoding'] ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e !== '' && e !== 'identity' && e !== 'aws-chunked');
  if (encodings.length === 0 || body.length === 0) return body;
  if (encodings.length !== 1 || encodings[0] !== 'gzip') {
    throw new ServiceError('SerializationException', `Content-Encoding ${String(req.headers['content-encoding']).slice(0, 64)} is not supported: send gzip or no encoding.`, 400);
  }
  try {
    return gunzipSync(body, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLarge();
    throw new ServiceError('SerializationException', 'The request body says Content-Encoding: gzip but is not valid gzip.', 400);
  }
}
