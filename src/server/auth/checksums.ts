import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { ServiceError } from '../../core/errors.js';

/** The flexible checksums S3 accepts (x-amz-checksum-<name>), plus Content-MD5. */
export type ChecksumAlgorithm = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256' | 'md5';

const WIRE_NAMES: Record<ChecksumAlgorithm, string> = {
  crc32: 'CRC32',
  crc32c: 'CRC32C',
  crc64nvme: 'CRC64NVME',
  sha1: 'SHA1',
  sha256: 'SHA256',
  md5: 'Content-MD5',
};

export const isChecksumAlgorithm = (name: string): name is ChecksumAlgorithm => Object.hasOwn(WIRE_NAMES, name) && name !== 'md5';

interface Running {
  update(data: Buffer): void;
  digest(): Promise<Buffer>;
}

function running(algorithm: ChecksumAlgorithm): Running {
  switch (algorithm) {
    case 'crc32': {
      let value = 0;
      return {
        update: (d) => void (value = crc32(d, value)),
        digest: async () => {
          const b = Buffer.alloc(4);
          b.writeUInt32BE(value >>> 0);
          return b;
        },
      };
    }
    case 'crc32c':
    case 'crc64nvme': {
      const impl = algorithm === 'crc32c' ? new Crc32c() : new Crc64Nvme();
      return { update: (d) => impl.update(d), digest: async () => Buffer.from(await impl.digest()) };
    }
    default: {
      const h: Hash = createHash(algorithm);
      return { update: (d) => void h.update(d), digest: async () => h.digest() };
    }
  }
}

/**
 * Checksums computed over the decoded body as it flows, checked at the end against the values the
 * client declared (headers before the body, or aws-chunked trailers after it).
 */
export class ChecksumSet {
  private readonly runs = new Map<ChecksumAlgorithm, Running>();
  private readonly expected = new Map<ChecksumAlgorithm, string>();

  /** Start computing `algorithm` (before any data flows). */
  track(algorithm: ChecksumAlgorithm): void {
    if (!this.runs.has(algorithm)) this.runs.set(algorithm, running(algorithm));
  }

  tracks(algorithm: ChecksumAlgorithm): boolean {
    return this.runs.has(algorithm);
  }

  expect(algorithm: ChecksumAlgorithm, base64: string): void {
    this.expected.set(algorithm, base64.trim());
  }

  update(data: Buffer): void {
    for (const r of this.runs.values()) r.update(data);
  }

  /** Verifies every declared value; answers the verified values (base64) by algorithm. */
  async verify(): Promise<Partial<Record<ChecksumAlgorithm, string>>> {
    const out: Partial<Record<ChecksumAlgorithm, string>> = {};
    for (const [algorithm, declared] of this.expected) {
      const run = this.runs.get(algorithm);
      if (!run) continue;
      const actual = (await run.digest()).toString('base64');
      if (actual !== declared) throw badDigest(algorithm);
      out[algorithm] = actual;
    }
    return out;
  }
}

export function badDigest(algorithm: ChecksumAlgorithm): ServiceError {
  if (algorithm === 'md5') return new ServiceError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  return new ServiceError('BadDigest', `The ${WIRE_NAMES[algorithm]} you specified did not match the calculated checksum.`, 400);
}
