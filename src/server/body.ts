import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../core/errors.js';

/**
 * Reads a whole request body, refusing more than `limit` bytes (as soon as the declared length or
 * the received bytes say so) with the caller's error. Event-based rather than `for await`: this is
 * on every control-plane request's path, and the async iterator costs more than the parse.
 */
export function readBody(req: IncomingMessage, limit: number, tooLarge: () => ServiceError): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onClose = () => {
      if (!req.complete) onError(new Error('client disconnected before sending the whole body'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

export const requestTooLarge = (limit: number, code = 'RequestEntityTooLargeException') =>
  new ServiceError(code, `Request body is larger than the ${limit} bytes Clary accepts for this service.`, 413);
