import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { md5b64, rawExchange, requestHead, sha256hex, signedHeaders } from './signed-request.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return 'no error';
}

describe('S3 API: bad input is refused with S3 errors and writes nothing', () => {
  let server: TestServer;
  let s3: S3Client;
  const B = 'bad-input';
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: B }));
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
  });

  const absent = async (Key: string) => expect(await code(s3.send(new HeadObjectCommand({ Bucket: B, Key })))).toBe('NotFound');
  const files = async (sub: string) => (await readdir(join(server.dataDir, sub), { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => relative(server.dataDir, join(d.parentPath, d.name)));

  it('answers BadDigest / InvalidDigest for a wrong or malformed Content-MD5', async () => {
    expect(await code(s3.send(new PutObjectCommand({ Bucket: B, Key: 'md5-wrong', Body: 'hello', ContentMD5: md5b64('other') })))).toBe('BadDigest');
    expect(await code(s3.send(new PutObjectCommand({ Bucket: B, Key: 'md5-bad', Body: 'hello', ContentMD5: 'bm90LW1kNQ==' })))).toBe('InvalidDigest');
    await absent('md5-wrong');
    await absent('md5-bad');
  });

  it('never lets ../ or NUL in a key reach the filesystem', async () => {
    const keys = ['../../../../tmp/clary-escape', '..\\..\\escape', 'x/\u0000/y', '/abs/path'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: B, Key, Body: 'k' }));
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: B }))).Contents?.map((o) => o.Key);
    for (const k of keys) expect(listed).toContain(k);
    const all = await files('.');
    for (const f of all) expect(f.startsWith('objects/') || !f.includes('escape'), f).toBe(true);
    for (const f of all.filter((f) => f.startsWith('objects/blobs/'))) expect(f).toMatch(/^objects\/blobs\/[0-9a-f]{2}\/[0-9a-f]{32}$/);
  });

  it('refuses a body that does not match its signed hash', async () => {
    const path = `/${B}/hash-mismatch`;
    const headers = await signedHeaders(server, 'PUT', path, { 'x-amz-content-sha256': sha256hex('0123456789'), 'content-length': '5' });
    const res = await rawExchange(server, requestHead('PUT', path, headers), Buffer.from('01234'));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    await absent('hash-mismatch');
  });

  it('refuses bytes beyond the declared length (the signed hash covers them), writing nothing', async () => {
    const full = Buffer.from('0123456789');
    const path = `/${B}/longer-than-declared`;
    const headers = await signedHeaders(server, 'PUT', path, { 'x-amz-content-sha256': sha256hex(full), 'content-length': '5' });
    const res = await rawExchange(server, requestHead('PUT', path, headers), full);
    expect(res.status).toBe(400);
    await absent('longer-than-declared');
  });

  it('refuses a body shorter than its declared length', async () => {
    const path = `/${B}/shorter-than-declared`;
    const headers = await signedHeaders(server, 'PUT', path, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '100' });
    await rawExchange(server, requestHead('PUT', path, headers), Buffer.alloc(50, 1), { halfClose: true }).catch(() => undefined);
    await absent('shorter-than-declared');
    expect(await files('objects/tmp')).toEqual([]);
  });

  it('refuses a declared size over the PUT limit with EntityTooLarge before reading the body', async () => {
    const path = `/${B}/too-large`;
    const headers = await signedHeaders(server, 'PUT', path, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(6 * 1024 ** 3) });
    const res = await rawExchange(server, requestHead('PUT', path, headers), Buffer.alloc(1024));
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>EntityTooLarge</Code>');
    await absent('too-large');
  });

  it('answers MalformedXML for a broken CompleteMultipartUpload body', async () => {
    const body = Buffer.from('<CompleteMultipartUpload><Part><PartNumber>1</Part>');
    const path = `/${B}/mpu-broken`;
    const headers = await signedHeaders(server, 'POST', path, { 'x-amz-content-sha256': sha256hex(body), 'content-length': String(body.length) }, { uploadId: 'x' });
    const res = await rawExchange(server, requestHead('POST', `${path}?uploadId=x`, headers), body);
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>MalformedXML</Code>');
  });

  it('answers NotImplemented (501) for sub-resources Clary does not implement', async () => {
    const path = `/${B}/obj`;
    const headers = await signedHeaders(server, 'GET', path, { 'x-amz-content-sha256': sha256hex('') }, { torrent: '' });
    const res = await rawExchange(server, requestHead('GET', `${path}?torrent`, headers), Buffer.alloc(0));
    expect(res.status).toBe(501);
    expect(res.text).toContain('<Code>NotImplemented</Code>');
    expect(res.text).toContain('not implemented by Clary');
  });

  it('leaves no object and no temp file when the client disconnects mid-upload', async () => {
    const path = `/${B}/disconnected`;
    const size = 64 * 1024 * 1024;
    const headers = await signedHeaders(server, 'PUT', path, { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(size) });
    const url = new URL(server.endpoint);
    await new Promise<void>((resolve) => {
      const req = request({ host: url.hostname, port: url.port, method: 'PUT', path, headers });
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      let sent = 0;
      const chunk = Buffer.alloc(256 * 1024, 7);
      const pump = () => {
        while (sent < 8 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.destroy();
      };
      pump();
    });
    // A request on the same server after the disconnect: the aborted write never commits.
    await absent('disconnected');
    for (let i = 0; i < 50 && (await files('objects/tmp')).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await files('objects/tmp')).toEqual([]);
  });
});
