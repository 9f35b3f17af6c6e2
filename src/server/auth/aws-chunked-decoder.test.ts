import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Base64, signedChunkedBody, signingKeyFor, unsignedChunkedBody } from '../../../test/support/aws-chunked.js';
import { AwsChunkedDecoder, type ChunkSigning } from './aws-chunked-decoder.js';
import { ChecksumSet } from './checksums.js';

const scope = '20240102/us-east-1/s3/aws4_request';
const signing: ChunkSigning = {
  signingKey: signingKeyFor('secret/key+1', scope),
  amzDate: '20240102T030405Z',
  scope,
  seedSignature: 'a'.repeat(64),
};

/** Feeds `body` to a decoder in the given piece sizes; answers the decoded bytes or the error. */
async function decode(decoder: AwsChunkedDecoder, body: Buffer, cuts: number[] = []): Promise<Buffer> {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    if (c > at && c < body.length) {
      pieces.push(body.subarray(at, c));
      at = c;
    }
  }
  pieces.push(body.subarray(at));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(pieces).pipe(decoder) as AsyncIterable<Buffer>) out.push(chunk);
  return Buffer.concat(out);
}

const data = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 3) % 251));

describe('AwsChunkedDecoder', () => {
  it('decodes signed chunks however the bytes are split', async () => {
    const chunks = [data(8192), data(8192, 11), data(17)];
    const body = signedChunkedBody({ chunks, ...signing });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(body.length), { maxLength: 40 }), async (cuts) => {
        const out = await decode(new AwsChunkedDecoder(new ChecksumSet(), { signing, trailer: false, trailers: [], decodedContentLength: 16401 }), body, cuts);
        expect(out.equals(Buffer.concat(chunks))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('decodes byte by byte, with a signed crc32 trailer', async () => {
    const chunks = [data(300), data(5)];
    const value = crc32Base64(Buffer.concat(chunks));
    const body = signedChunkedBody({ chunks, ...signing, trailers: { 'x-amz-checksum-crc32': value } });
    const decoder = new AwsChunkedDecoder(new ChecksumSet(), { signing, trailer: true, trailers: ['x-amz-checksum-crc32'] });
    const out = await decode(decoder, body, Array.from({ length: body.length }, (_, i) => i));
    expect(out.equals(Buffer.concat(chunks))).toBe(true);
    expect(decoder.checksums).toEqual({ crc32: value });
    expect(decoder.decodedLength).toBe(305);
  });

  it('refuses a corrupted chunk signature, corrupted data and a forged trailer signature', async () => {
    const chunks = [data(100), data(100, 13)];
    const good = signedChunkedBody({ chunks, ...signing });
    const sigAt = good.indexOf('chunk-signature=', good.indexOf('chunk-signature=') + 1) + 'chunk-signature='.length;
    const badSig = Buffer.from(good);
    badSig[sigAt] = badSig[sigAt] === 0x30 ? 0x31 : 0x30;
    const opts = { signing, trailer: false, trailers: [] };
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), opts), badSig)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    const badData = Buffer.from(good);
    const at = good.indexOf('\r\n') + 10;
    badData[at] = good[at]! ^ 1;
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), opts), badData)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });

    const trailed = signedChunkedBody({ chunks, ...signing, trailers: { 'x-amz-checksum-crc32': crc32Base64(Buffer.concat(chunks)) } });
    const forged = Buffer.from(trailed.toString('latin1').replace(/x-amz-trailer-signature:(.)/, (_, c: string) => `x-amz-trailer-signature:${c === 'f' ? 'e' : 'f'}`), 'latin1');
    const tOpts = { signing, trailer: true, trailers: ['x-amz-checksum-crc32'] };
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), tOpts), forged)).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
  });

  it('checks unsigned trailing checksums of every algorithm', async () => {
    const chunks = [data(1000), data(24)];
    const all = Buffer.concat(chunks);
    const { createHash } = await import('node:crypto');
    const good: Record<string, string> = {
      'x-amz-checksum-crc32': crc32Base64(all),
      'x-amz-checksum-sha1': createHash('sha1').update(all).digest('base64'),
      'x-amz-checksum-sha256': createHash('sha256').update(all).digest('base64'),
    };
    for (const [name, value] of Object.entries(good)) {
      const decoder = new AwsChunkedDecoder(new ChecksumSet(), { trailer: true, trailers: [name] });
      expect((await decode(decoder, unsignedChunkedBody(chunks, { [name]: value }))).equals(all)).toBe(true);
      expect(Object.values(decoder.checksums)).toEqual([value]);
    }
    // crc32c of "123456789" is 0xE3069283 (RFC 3720), crc64nvme is 0xAE8B14860A799888.
    const check = Buffer.from('123456789');
    for (const [name, value] of [
      ['x-amz-checksum-crc32c', Buffer.from('e3069283', 'hex').toString('base64')],
      ['x-amz-checksum-crc64nvme', Buffer.from('ae8b14860a799888', 'hex').toString('base64')],
    ] as const) {
      const decoder = new AwsChunkedDecoder(new ChecksumSet(), { trailer: true, trailers: [name] });
      await decode(decoder, unsignedChunkedBody([check], { [name]: value }));
      expect(Object.values(decoder.checksums)).toEqual([value]);
    }
    const bad = unsignedChunkedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('other')) });
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), { trailer: true, trailers: ['x-amz-checksum-crc32'] }), bad)).rejects.toMatchObject({
      code: 'BadDigest',
      status: 400,
      message: 'The CRC32 you specified did not match the calculated checksum.',
    });
  });

  it('refuses truncated, malformed and wrongly sized bodies', async () => {
    const chunks = [data(500)];
    const body = unsignedChunkedBody(chunks, { 'x-amz-checksum-crc32': crc32Base64(chunks[0]!) });
    const opts = { trailer: true, trailers: ['x-amz-checksum-crc32'] };
    for (const cut of [3, 100, body.length - 25]) {
      await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), opts), body.subarray(0, cut))).rejects.toMatchObject({ code: 'IncompleteBody' });
    }
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), { ...opts, decodedContentLength: 499 }), body)).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), { ...opts, decodedContentLength: 501 }), body)).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), opts), Buffer.from('zz\r\nhello\r\n'))).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), opts), unsignedChunkedBody(chunks, {}))).rejects.toMatchObject({ code: 'MalformedTrailerError' });
    await expect(decode(new AwsChunkedDecoder(new ChecksumSet(), { trailer: false, trailers: [] }), Buffer.from('5\r\nhelloXX0\r\n\r\n'))).rejects.toMatchObject({
      code: 'IncompleteBody',
    });
  });

  it('never throws anything but a ServiceError on arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.boolean(), async (bytes, signed) => {
        const decoder = new AwsChunkedDecoder(new ChecksumSet(), signed ? { signing, trailer: true, trailers: ['x-amz-checksum-crc32'] } : { trailer: false, trailers: [] });
        await decode(decoder, Buffer.from(bytes)).then(
          () => undefined,
          (e: unknown) => expect(e).toHaveProperty('code'),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('AwsChunkedDecoder memory', () => {
  it('holds back the producer when the consumer is slow (backpressure, no whole-body buffering)', async () => {
    const chunk = data(64 * 1024);
    const chunkCount = 512; // 32 MiB decoded
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    let produced = 0;
    let consumed = 0;
    let maxAhead = 0;
    async function* source() {
      for (let i = 0; i < chunkCount; i++) {
        produced += chunk.length;
        yield framed;
      }
      yield Buffer.from('0\r\n\r\n');
    }
    const decoder = new AwsChunkedDecoder(new ChecksumSet(), { trailer: false, trailers: [], decodedContentLength: chunk.length * chunkCount });
    Readable.from(source()).pipe(decoder);
    for await (const piece of decoder as AsyncIterable<Buffer>) {
      consumed += piece.length;
      maxAhead = Math.max(maxAhead, produced - consumed);
      await new Promise((r) => setImmediate(r));
    }
    expect(consumed).toBe(chunk.length * chunkCount);
    expect(maxAhead).toBeLessThan(1024 * 1024);
  });
});
