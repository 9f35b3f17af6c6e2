import { createHash, type Hash } from 'node:crypto';
import type { TransformCallback } from 'node:stream';
import { ServiceError } from '../../core/errors.js';
import type { ChecksumSet } from './checksums.js';
import { PayloadStream } from './payload-stream.js';

/** A body sent as is. With `sha256` (x-amz-content-sha256 was a hash), its hash must match at the end. */
export class PlainPayloadStream extends PayloadStream {
  private readonly hash: Hash | undefined;

  constructor(sums: ChecksumSet, private readonly sha256?: string) {
    super(sums);
    this.hash = sha256 === undefined ? undefined : createHash('sha256');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.hash?.update(chunk);
    this.emitData(chunk);
    callback();
  }

  protected async finish(): Promise<void> {
    if (!this.hash) return;
    const computed = this.hash.digest('hex');
    if (computed !== this.sha256) {
      throw new ServiceError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
        ClientComputedContentSHA256: this.sha256,
        S3ComputedContentSHA256: computed,
      });
    }
  }
}
