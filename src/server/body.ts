import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../core/errors.js';

/**
 * Reads a whole request body, refusing more than `limit` bytes (as soon as the declared length or
 * the received bytes say so) with a 413 in the caller's error code.
 */
export async function readBody(req: IncomingMessage, limit: number, tooLarge: () => ServiceError): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export const requestTooLarge = (limit: number, code = 'RequestEntityTooLargeException') =>
  new ServiceError(code, `Request body is larger than the ${limit} bytes Clary accepts for this service.`, 413);
