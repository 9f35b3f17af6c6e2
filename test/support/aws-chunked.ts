import { createHash, createHmac } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * aws-chunked bodies built from the AWS specification (sigv4-streaming.html,
 * sigv4-streaming-trailers.html), independently of Clary's decoder.
 */
const sha256 = (d: string | Buffer) => createHash('sha256').update(d).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
const EMPTY = sha256('');

export function signingKeyFor(secret: string, scope: string): Buffer {
  const [date, region, service] = scope.split('/') as [string, string, string];
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

export function crc32Base64(data: Buffer): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(data) >>> 0);
  return b.toString('base64');
}

export interface SignedChunkedSpec {
  readonly chunks: readonly Buffer[];
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
  readonly seedSignature: string;
  /** Trailing headers (name → value), signed with x-amz-trailer-signature. */
  readonly trailers?: Record<string, string>;
}

export function signedChunkedBody(spec: SignedChunkedSpec): Buffer {
  const parts: Buffer[] = [];
  let prev = spec.seedSignature;
  for (const chunk of [...spec.chunks, Buffer.alloc(0)]) {
    const sts = ['AWS4-HMAC-SHA256-PAYLOAD', spec.amzDate, spec.scope, prev, EMPTY, sha256(chunk)].join('\n');
    prev = createHmac('sha256', spec.signingKey).update(sts).digest('hex');
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${prev}\r\n`), chunk);
    if (chunk.length > 0) parts.push(Buffer.from('\r\n'));
  }
  if (spec.trailers) {
    const names = Object.keys(spec.trailers).sort();
    const canonical = names.map((n) => `${n}:${spec.trailers![n]}\n`).join('');
    const sts = ['AWS4-HMAC-SHA256-TRAILER', spec.amzDate, spec.scope, prev, sha256(canonical)].join('\n');
    const sig = createHmac('sha256', spec.signingKey).update(sts).digest('hex');
    parts.push(Buffer.from(names.map((n) => `${n}:${spec.trailers![n]}\r\n`).join('') + `x-amz-trailer-signature:${sig}\r\n\r\n`));
  } else {
    parts.push(Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

/** STREAMING-UNSIGNED-PAYLOAD-TRAILER, as the AWS SDKs send it. */
export function unsignedChunkedBody(chunks: readonly Buffer[], trailers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  for (const chunk of chunks) parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\n'));
  parts.push(Buffer.from(Object.entries(trailers).map(([n, v]) => `${n}:${v}\r\n`).join('') + '\r\n'));
  return Buffer.concat(parts);
}
