import { createHash, createHmac, timingSafeEqual, type Hash } from 'node:crypto';
import type { TransformCallback } from 'node:stream';
import { ServiceError } from '../../core/errors.js';
import { isChecksumAlgorithm, type ChecksumSet } from './checksums.js';
import { incompleteBody, PayloadStream } from './payload-stream.js';

/** What chunk signatures chain from (AuthResult.signing). */
export interface ChunkSigning {
  readonly signingKey: Buffer;
  readonly amzDate: string;
  readonly scope: string;
  readonly seedSignature: string;
}

export interface ChunkedOptions {
  /** Present for STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]: every chunk is signed. */
  readonly signing?: ChunkSigning;
  /** Whether trailers follow the final chunk (the *-TRAILER payload modes). */
  readonly trailer: boolean;
  /** Trailer names announced in x-amz-trailer (lower case). */
  readonly trailers: readonly string[];
  /** x-amz-decoded-content-length, when sent. */
  readonly decodedContentLength?: number;
}

const EMPTY_SHA256 = createHash('sha256').digest('hex');
const MAX_LINE = 8 * 1024;
const CR = 0x0d;
const LF = 0x0a;

type State = 'header' | 'data' | 'data-crlf' | 'trailer' | 'final' | 'done';

/**
 * Decodes an aws-chunked body (`hex-size[;chunk-signature=sig]\r\n data \r\n … 0…\r\n
 * [trailers\r\n] \r\n`) as it streams, verifying each chunk signature against the seed signature
 * chain, then the trailers (signature, announced names, checksums) and the decoded length.
 * Memory stays bounded: data is passed through slice by slice, only header lines are buffered.
 */
export class AwsChunkedDecoder extends PayloadStream {
  private state: State = 'header';
  private line: Buffer[] = [];
  private lineLength = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private chunkHash: Hash | undefined;
  private chunkSignature = '';
  private previousSignature: string;
  private readonly receivedTrailers: [string, string][] = [];

  constructor(
    sums: ChecksumSet,
    private readonly opts: ChunkedOptions,
  ) {
    super(sums);
    this.previousSignature = opts.signing?.seedSignature ?? '';
    for (const name of opts.trailers) {
      const algorithm = name.replace(/^x-amz-checksum-/, '');
      if (name.startsWith('x-amz-checksum-') && isChecksumAlgorithm(algorithm)) sums.track(algorithm);
    }
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(chunk);
      callback();
    } catch (e) {
      callback(e as Error);
    }
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, buf.length - i);
        const slice = buf.subarray(i, i + n);
        this.chunkHash?.update(slice);
        this.emitData(slice);
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) {
          this.verifyChunk();
          this.state = 'data-crlf';
        }
      } else if (this.state === 'data-crlf') {
        if (buf[i] !== (this.crlfSeen === 0 ? CR : LF)) throw malformedChunk('chunk data is not followed by CRLF');
        i += 1;
        if (++this.crlfSeen === 2) {
          this.crlfSeen = 0;
          this.state = 'header';
        }
      } else {
        const nl = buf.indexOf(LF, i);
        const end = nl < 0 ? buf.length : nl + 1;
        this.lineLength += end - i;
        if (this.lineLength > MAX_LINE) throw malformedChunk('a chunk header or trailer line is too long');
        this.line.push(buf.subarray(i, end));
        i = end;
        if (nl >= 0) {
          const text = Buffer.concat(this.line).toString('latin1');
          this.line = [];
          this.lineLength = 0;
          if (!text.endsWith('\r\n')) throw malformedChunk('a chunk header or trailer line does not end with CRLF');
          this.onLine(text.slice(0, -2));
        }
      }
    }
  }

  private onLine(text: string): void {
    switch (this.state) {
      case 'header':
        return this.onChunkHeader(text);
      case 'trailer':
        if (text === '') {
          this.state = 'done';
          return;
        }
        return this.onTrailer(text);
      case 'final':
        if (text !== '') throw malformedChunk('unexpected data after the final chunk');
        this.state = 'done';
        return;
      default:
        if (text !== '') throw malformedChunk('unexpected data after the end of the body');
    }
  }

  private onChunkHeader(text: string): void {
    const semi = text.indexOf(';');
    const sizeText = (semi < 0 ? text : text.slice(0, semi)).trim();
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) throw malformedChunk(`invalid chunk size "${sizeText.slice(0, 20)}"`);
    const size = parseInt(sizeText, 16);
    const declared = this.opts.decodedContentLength;
    if (declared !== undefined && this.decodedLength + size > declared) throw incompleteBody();
    this.chunkSignature = '';
    if (semi >= 0) {
      for (const ext of text.slice(semi + 1).split(';')) {
        const eq = ext.indexOf('=');
        if (eq > 0 && ext.slice(0, eq).trim() === 'chunk-signature') this.chunkSignature = ext.slice(eq + 1).trim();
      }
    }
    if (this.opts.signing && !this.chunkSignature) throw chunkSignatureMismatch();
    this.chunkHash = this.opts.signing ? createHash('sha256') : undefined;
    if (size > 0) {
      this.remaining = size;
      this.state = 'data';
      return;
    }
    this.verifyChunk();
    this.state = this.opts.trailer ? 'trailer' : 'final';
  }

  private verifyChunk(): void {
    const signing = this.opts.signing;
    if (!signing) return;
    const chunkSha = this.chunkHash ? this.chunkHash.digest('hex') : EMPTY_SHA256;
    const stringToSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, this.previousSignature, EMPTY_SHA256, chunkSha].join('\n');
    const expected = createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
    if (!sameHex(expected, this.chunkSignature)) throw chunkSignatureMismatch();
    this.previousSignature = expected;
  }

  private onTrailer(text: string): void {
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    this.receivedTrailers.push([text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim()]);
  }

  protected async finish(): Promise<void> {
    const endedCleanly = this.state === 'done' || ((this.state === 'final' || this.state === 'trailer') && this.lineLength === 0);
    if (!endedCleanly) throw incompleteBody();
    this.checkTrailers();
    const declared = this.opts.decodedContentLength;
    if (declared !== undefined && declared !== this.decodedLength) throw incompleteBody();
  }

  private checkTrailers(): void {
    const signing = this.opts.signing;
    let trailerSignature: string | undefined;
    const canonical: string[] = [];
    const sorted = [...this.receivedTrailers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, value] of sorted) {
      if (name === 'x-amz-trailer-signature') {
        trailerSignature = value;
        continue;
      }
      if (!this.opts.trailers.includes(name)) throw malformedTrailer();
      canonical.push(`${name}:${value}\n`);
      const algorithm = name.replace(/^x-amz-checksum-/, '');
      if (name.startsWith('x-amz-checksum-') && isChecksumAlgorithm(algorithm)) this.sums.expect(algorithm, value);
    }
    for (const name of this.opts.trailers) {
      if (!this.receivedTrailers.some(([n]) => n === name)) throw malformedTrailer();
    }
    if (signing && this.opts.trailer) {
      if (trailerSignature === undefined) throw chunkSignatureMismatch();
      const trailerHash = createHash('sha256').update(canonical.join('')).digest('hex');
      const stringToSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, this.previousSignature, trailerHash].join('\n');
      const expected = createHmac('sha256', signing.signingKey).update(stringToSign).digest('hex');
      if (!sameHex(expected, trailerSignature)) throw chunkSignatureMismatch();
    }
  }
}

function sameHex(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'latin1');
  const b = Buffer.from(provided.toLowerCase(), 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

const chunkSignatureMismatch = () =>
  new ServiceError(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
    403,
  );

const malformedChunk = (detail: string) =>
  new ServiceError('IncompleteBody', `The request body is not valid aws-chunked encoding: ${detail}.`, 400);

const malformedTrailer = () =>
  new ServiceError(
    'MalformedTrailerError',
    'The request contained trailing data that was not well-formed or did not conform to our published schema.',
    400,
  );
