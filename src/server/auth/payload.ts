import type { IncomingMessage } from 'node:http';
import { ServiceError } from '../../core/errors.js';
import { AwsChunkedDecoder } from './aws-chunked-decoder.js';
import { ChecksumSet, isChecksumAlgorithm } from './checksums.js';
import { PlainPayloadStream } from './hash-check-stream.js';
import { incompleteBody, type PayloadStream } from './payload-stream.js';
import type { AuthResult } from './types.js';

export type { PayloadStream } from './payload-stream.js';

/**
 * The request body, decoded and verified as it streams (docs/auth.md): a signed hash is checked
 * at the end (XAmzContentSHA256Mismatch), aws-chunked bodies are unwrapped with every chunk
 * signature checked (SignatureDoesNotMatch), trailing and header checksums are verified
 * (BadDigest) and exposed on `checksums`, x-amz-decoded-content-length is enforced
 * (IncompleteBody). A client that disconnects mid-body makes the stream error, never end.
 */
export function openPayload(req: IncomingMessage, auth: AuthResult): PayloadStream {
  const sums = new ChecksumSet();
  const stream = decoderFor(req, auth, sums);
  declaredChecksums(req, sums);

  const onAbort = () => {
    if (!req.complete) stream.destroy(incompleteBody());
  };
  req.once('aborted', onAbort);
  req.once('error', onAbort);
  req.once('close', onAbort);
  stream.once('close', () => {
    req.off('aborted', onAbort);
    req.off('error', onAbort);
    req.off('close', onAbort);
  });
  req.pipe(stream);
  return stream;
}

function decoderFor(req: IncomingMessage, auth: AuthResult, sums: ChecksumSet): PayloadStream {
  const p = auth.payload;
  const chunkedEncoding = /(^|,)\s*aws-chunked\s*(,|$)/i.test(header(req, 'content-encoding') ?? '');
  const trailers = (header(req, 'x-amz-trailer') ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  const decodedRaw = header(req, 'x-amz-decoded-content-length');
  const decodedContentLength = decodedRaw !== undefined && /^\d{1,15}$/.test(decodedRaw) ? Number(decodedRaw) : undefined;
  switch (p.kind) {
    case 'streaming-signed':
      if (!auth.signing) throw new ServiceError('InternalFailure', 'Clary lost the signing context of a streaming-signed request.', 500);
      return new AwsChunkedDecoder(sums, { signing: auth.signing, trailer: p.trailer, trailers, decodedContentLength });
    case 'streaming-unsigned-trailer':
      return new AwsChunkedDecoder(sums, { trailer: true, trailers, decodedContentLength });
    case 'unsigned':
      return chunkedEncoding
        ? new AwsChunkedDecoder(sums, { trailer: trailers.length > 0, trailers, decodedContentLength })
        : new PlainPayloadStream(sums);
    case 'hash':
      return new PlainPayloadStream(sums, p.sha256);
  }
}

/** Checksums declared up front (x-amz-checksum-* headers, Content-MD5): computed and verified too. */
function declaredChecksums(req: IncomingMessage, sums: ChecksumSet): void {
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value !== 'string' || !name.startsWith('x-amz-checksum-')) continue;
    const algorithm = name.slice('x-amz-checksum-'.length);
    if (!isChecksumAlgorithm(algorithm)) continue;
    sums.track(algorithm);
    sums.expect(algorithm, value);
  }
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined) {
    sums.track('md5');
    sums.expect('md5', md5);
  }
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};
