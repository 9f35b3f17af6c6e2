import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32Base64, signedChunkedBody, signingKeyFor, unsignedChunkedBody } from '../../../test/support/aws-chunked.js';
import { startSigV4Harness, type SigV4Harness } from '../../../test/support/sigv4-harness.js';
import { rawRequest, signHeaders, truncatedRequest } from '../../../test/support/sigv4-client.js';

let h: SigV4Harness;
beforeAll(async () => {
  h = await startSigV4Harness();
  h.family = 's3';
});
afterAll(async () => h.close());

const bytes = (n: number, seed = 5) => Buffer.from(Array.from({ length: n }, (_, i) => (i * seed + 1) % 256));

/** Signs a PUT's headers with smithy, then builds its aws-chunked body from the seed signature. */
async function signedChunkedPut(chunks: Buffer[], trailers?: Record<string, string>) {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const { headers, url } = await signHeaders({
    method: 'PUT',
    path: '/bucket/chunked%20object',
    service: 's3',
    credentials: h.credentials,
    port: h.port,
    headers: {
      'x-amz-content-sha256': trailers ? 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER' : 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      'content-encoding': 'aws-chunked',
      'x-amz-decoded-content-length': String(total),
      ...(trailers ? { 'x-amz-trailer': Object.keys(trailers).join(',') } : {}),
    },
  });
  const [, scope] = /Credential=[^/]+\/([^,]+),/.exec(headers.authorization!)!;
  const seedSignature = /Signature=([0-9a-f]{64})/.exec(headers.authorization!)![1]!;
  const body = signedChunkedBody({
    chunks,
    signingKey: signingKeyFor(h.credentials.secretAccessKey, scope!),
    amzDate: headers['x-amz-date']!,
    scope: scope!,
    seedSignature,
    trailers,
  });
  return { headers: { ...headers, 'content-length': String(body.length) }, url, body };
}

describe('openPayload over real HTTP', () => {
  it('decodes a STREAMING-AWS4-HMAC-SHA256-PAYLOAD upload and checks every chunk', async () => {
    const chunks = [bytes(65536), bytes(65536, 7), bytes(1234)];
    const { headers, url, body } = await signedChunkedPut(chunks);
    const r = await rawRequest(h.port, 'PUT', url, headers, [body]);
    expect(r.status).toBe(200);
    expect(h.last().auth?.payload).toEqual({ kind: 'streaming-signed', trailer: false });
    expect(h.last().body?.equals(Buffer.concat(chunks))).toBe(true);

    const corrupted = Buffer.from(body);
    const second = corrupted.indexOf('chunk-signature=', 70_000) + 'chunk-signature='.length;
    corrupted[second] = corrupted[second] === 0x61 ? 0x62 : 0x61;
    const bad = await rawRequest(h.port, 'PUT', url, headers, [corrupted]);
    expect(bad.status).toBe(403);
    expect(h.last().error?.code).toBe('SignatureDoesNotMatch');
  });

  it('verifies a signed crc32 trailer and exposes it; a wrong one is BadDigest', async () => {
    const chunks = [bytes(9000), bytes(10)];
    const good = await signedChunkedPut(chunks, { 'x-amz-checksum-crc32': crc32Base64(Buffer.concat(chunks)) });
    expect((await rawRequest(h.port, 'PUT', good.url, good.headers, [good.body])).status).toBe(200);
    expect(h.last().checksums).toEqual({ crc32: crc32Base64(Buffer.concat(chunks)) });

    const wrong = await signedChunkedPut(chunks, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('nope')) });
    expect((await rawRequest(h.port, 'PUT', wrong.url, wrong.headers, [wrong.body])).status).toBe(400);
    expect(h.last().error).toMatchObject({ code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' });
  });

  it('refuses an unsigned-trailer upload whose trailing checksum is wrong', async () => {
    const data = bytes(4000);
    const { headers, url } = await signHeaders({
      method: 'PUT',
      path: '/bucket/k',
      service: 's3',
      credentials: h.credentials,
      port: h.port,
      headers: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-decoded-content-length': '4000' },
    });
    const body = unsignedChunkedBody([data], { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('x')) });
    expect((await rawRequest(h.port, 'PUT', url, { ...headers, 'content-length': String(body.length) }, [body])).status).toBe(400);
    expect(h.last().error?.code).toBe('BadDigest');
  });

  it('checks a signed payload hash and Content-MD5', async () => {
    const body = Buffer.from('exact bytes');
    const spec = { method: 'PUT', path: '/bucket/k', service: 's3', credentials: h.credentials, port: h.port };
    const signed = await signHeaders({ ...spec, headers: { 'x-amz-content-sha256': createHash('sha256').update(body).digest('hex') } });
    expect((await rawRequest(h.port, 'PUT', signed.url, signed.headers, [body])).status).toBe(200);
    expect(h.last().body?.toString()).toBe('exact bytes');

    expect((await rawRequest(h.port, 'PUT', signed.url, signed.headers, [Buffer.from('exact bytez')])).status).toBe(400);
    expect(h.last().error?.code).toBe('XAmzContentSHA256Mismatch');

    const md5 = await signHeaders({ ...spec, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': createHash('md5').update('other').digest('base64') } });
    expect((await rawRequest(h.port, 'PUT', md5.url, md5.headers, [body])).status).toBe(400);
    expect(h.last().error).toMatchObject({ code: 'BadDigest', message: 'The Content-MD5 you specified did not match what we received.' });
  });

  it('errors (never ends cleanly) when the client disconnects mid-body', async () => {
    const plain = await signHeaders({ method: 'PUT', path: '/bucket/k', service: 's3', credentials: h.credentials, port: h.port, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    let n = h.outcomes.length;
    await truncatedRequest(h.port, 'PUT', plain.url, { ...plain.headers, 'content-length': '100000' }, bytes(5000));
    expect((await h.waitFor(++n)).error?.code).toBe('IncompleteBody');

    const { headers, url, body } = await signedChunkedPut([bytes(70000), bytes(100)]);
    await truncatedRequest(h.port, 'PUT', url, headers, body.subarray(0, 40_000));
    const o = await h.waitFor(++n);
    expect(o.error?.code).toBe('IncompleteBody');
    expect(o.body).toBeUndefined();
  });
});
