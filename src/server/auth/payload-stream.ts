import { Transform, type TransformCallback } from 'node:stream';
import { ServiceError } from '../../core/errors.js';
import { ChecksumSet, type ChecksumAlgorithm } from './checksums.js';

/**
 * A request body as the service should see it: decoded, and checked as it flows. It errors
 * (never ends cleanly) when the body does not match what was signed or declared, so a consumer
 * that commits only on 'end' never keeps a bad or partial body. After 'end', `checksums` holds
 * the verified flexible checksums (base64, from headers or trailers) and `decodedLength` the size.
 */
export abstract class PayloadStream extends Transform {
  checksums: Partial<Record<ChecksumAlgorithm, string>> = {};
  decodedLength = 0;
  protected readonly sums: ChecksumSet;

  constructor(sums: ChecksumSet) {
    super({ highWaterMark: 64 * 1024 });
    this.sums = sums;
    // A handler may fail (e.g. NoSuchBucket) before it consumes the body; the body's own verdict
    // then has nobody to tell, and an unheard 'error' would crash the server. Consumers that do
    // read the body attach their own listeners and still receive every error.
    this.on('error', () => {});
  }

  /** Hands decoded bytes downstream (and to the running checksums). */
  protected emitData(data: Buffer): void {
    if (data.length === 0) return;
    this.decodedLength += data.length;
    this.sums.update(data);
    this.push(data);
  }

  /** Runs the end-of-body checks; any ServiceError they throw fails the stream. */
  protected abstract finish(): Promise<void>;

  override _flush(callback: TransformCallback): void {
    this.finish()
      .then(async () => {
        this.checksums = await this.sums.verify();
        callback();
      })
      .catch((e: unknown) => callback(asError(e)));
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new ServiceError('InvalidRequest', String(e), 400));

export const incompleteBody = () =>
  new ServiceError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.', 400);
