import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand,
  ListMultipartUploadsCommand, ListObjectsCommand, ListObjectsV2Command, ListPartsCommand, PutObjectCommand, S3Client, UploadPartCommand,
  UploadPartCopyCommand, paginateListObjectsV2,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).name;
  }
  return 'no error';
}

const MiB = 1024 * 1024;

describe('S3 API with the JS SDK: listing and multipart', () => {
  let server: TestServer;
  let s3: S3Client;
  const keys = ['a/1', 'a/2', 'a/b/3', 'b', 'c d/e', 'c d/f', 'z', 'é', '😀'];
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'list' }));
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'list', Key, Body: Key }));
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
  });

  it('lists V2 with KeyCount, StorageClass, owner on request, prefixes and delimiters', async () => {
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'list' }));
    expect(all.Contents?.map((o) => o.Key)).toEqual(keys);
    expect(all.KeyCount).toBe(keys.length);
    expect(all.Contents?.[0]?.StorageClass).toBe('STANDARD');
    expect(all.Contents?.[0]?.Owner).toBeUndefined();
    expect(all.IsTruncated).toBe(false);
    const owned = await s3.send(new ListObjectsV2Command({ Bucket: 'list', FetchOwner: true, MaxKeys: 1 }));
    expect(owned.Contents?.[0]?.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const d = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Delimiter: '/' }));
    expect(d.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['a/', 'c d/']);
    expect(d.Contents?.map((o) => o.Key)).toEqual(['b', 'z', 'é', '😀']);
    expect(d.KeyCount).toBe(6);
    const p = await s3.send(new ListObjectsV2Command({ Bucket: 'list', Prefix: 'a/', Delimiter: '/' }));
    expect(p.Contents?.map((o) => o.Key)).toEqual(['a/1', 'a/2']);
    expect(p.CommonPrefixes?.map((x) => x.Prefix)).toEqual(['a/b/']);
    const sa = await s3.send(new ListObjectsV2Command({ Bucket: 'list', StartAfter: 'b' }));
    expect(sa.Contents?.[0]?.Key).toBe('c d/e');
    const zero = await s3.send(new ListObjectsV2Command({ Bucket: 'list', MaxKeys: 0 }));
    expect(zero.KeyCount).toBe(0);
    expect(await code(s3.send(new ListObjectsV2Command({ Bucket: 'list', ContinuationToken: 'garbage!' })))).toBe('InvalidArgument');
    expect(await code(s3.send(new ListObjectsV2Command({ Bucket: 'nope-bucket' })))).toBe('NoSuchBucket');
  });

  it('paginates V2 with opaque continuation tokens, common prefixes counted against MaxKeys', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: 'list', Delimiter: '/' })) {
      pages++;
      expect(page.KeyCount).toBeLessThanOrEqual(2);
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(['a/', 'b', 'c d/', 'z', 'é', '😀'].sort());
  });

  it('url-encodes keys and prefixes when asked (encoding-type=url)', async () => {
    const r = await s3.send(new ListObjectsV2Command({ Bucket: 'list', EncodingType: 'url', Prefix: 'c d/' }));
    expect(r.EncodingType).toBe('url');
    expect(r.Contents?.map((o) => o.Key)).toEqual(['c%20d/e', 'c%20d/f']);
    expect(r.Prefix).toBe('c%20d/');
  });

  it('lists V1 with Marker, and NextMarker only when a delimiter is given', async () => {
    const one = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 2 }));
    expect(one.Contents?.map((o) => o.Key)).toEqual(['a/1', 'a/2']);
    expect(one.IsTruncated).toBe(true);
    expect(one.NextMarker).toBeUndefined();
    expect(one.Contents?.[0]?.Owner?.ID).toBeDefined();
    const two = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 2, Marker: 'a/2' }));
    expect(two.Contents?.map((o) => o.Key)).toEqual(['a/b/3', 'b']);
    const d = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 2, Delimiter: '/' }));
    expect(d.NextMarker).toBe('b');
    const d2 = await s3.send(new ListObjectsCommand({ Bucket: 'list', MaxKeys: 2, Delimiter: '/', Marker: d.NextMarker }));
    expect(d2.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['c d/']);
    expect(d2.Contents?.map((o) => o.Key)).toEqual(['z']);
  });

  it('uploads with lib-storage Upload (multipart) and reads back the same bytes', async () => {
    const data = randomBytes(12 * MiB + 333);
    const up = new Upload({ client: s3, params: { Bucket: 'mpu', Key: 'big/file.bin', Body: Readable.from(chunks(data)), ContentType: 'application/x-big' }, partSize: 5 * MiB, queueSize: 2 });
    const done = await up.done();
    expect(done.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big/file.bin' }));
    expect(got.ContentType).toBe('application/x-big');
    const back = Buffer.from(await got.Body!.transformToByteArray());
    expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('runs a manual multipart upload: parts, list, copy part, wrong lists refused, complete, abort', async () => {
    const p1 = randomBytes(5 * MiB);
    const p2 = Buffer.from('tail');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'manual', Metadata: { m: '1' } }));
    const u1 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'manual', UploadId, PartNumber: 1, Body: p1 }));
    const u2 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'manual', UploadId, PartNumber: 2, Body: p2 }));
    expect(u1.ETag).toBe(`"${createHash('md5').update(p1).digest('hex')}"`);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
    expect(uploads.Uploads?.map((u) => u.UploadId)).toContain(UploadId);
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'manual', UploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([[1, p1.length], [2, 4]]);
    const page = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'manual', UploadId, MaxParts: 1 }));
    expect(page.IsTruncated).toBe(true);
    expect(page.NextPartNumberMarker).toBe('1');

    const complete = (Parts: { PartNumber: number; ETag?: string }[]) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'manual', UploadId, MultipartUpload: { Parts } }));
    expect(await code(complete([{ PartNumber: 2, ETag: u2.ETag }, { PartNumber: 1, ETag: u1.ETag }]))).toBe('InvalidPartOrder');
    expect(await code(complete([{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 2, ETag: '"0123456789abcdef0123456789abcdef"' }]))).toBe('InvalidPart');
    expect(await code(complete([{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 7, ETag: u2.ETag }]))).toBe('InvalidPart');
    expect(await code(complete([{ PartNumber: 2, ETag: u2.ETag }, { PartNumber: 3, ETag: u2.ETag }]))).toBe('InvalidPart');
    expect(await code(s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'manual' })))).toBe('NoSuchKey');
    // Part 2 replaced by a copy of bytes 0..9 of part 1's future object source.
    await s3.send(new PutObjectCommand({ Bucket: 'mpu', Key: 'copy-src', Body: '0123456789ABCDEF' }));
    const c2 = await s3.send(new UploadPartCopyCommand({ Bucket: 'mpu', Key: 'manual', UploadId, PartNumber: 2, CopySource: 'mpu/copy-src', CopySourceRange: 'bytes=10-15' }));
    const done = await complete([{ PartNumber: 1, ETag: u1.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult?.ETag }]);
    expect(done.ETag).toMatch(/-2"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'manual' }));
    expect(got.Metadata).toEqual({ m: '1' });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([p1, Buffer.from('ABCDEF')]))).toBe(true);
    expect(await code(s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'manual', UploadId })))).toBe('NoSuchUpload');

    const small = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'mpu', Key: 'small' }));
    const s1 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId, PartNumber: 1, Body: 'a' }));
    const s2 = await s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId, PartNumber: 2, Body: 'b' }));
    expect(await code(s3.send(new CompleteMultipartUploadCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: s1.ETag }, { PartNumber: 2, ETag: s2.ETag }] } })))).toBe('EntityTooSmall');
    expect(await code(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId, PartNumber: 10001, Body: 'c' })))).toBe('InvalidArgument');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId }));
    expect(await code(s3.send(new AbortMultipartUploadCommand({ Bucket: 'mpu', Key: 'small', UploadId: small.UploadId })))).toBe('NoSuchUpload');
    expect(await code(s3.send(new UploadPartCommand({ Bucket: 'mpu', Key: 'small', UploadId: 'bogus', PartNumber: 1, Body: 'c' })))).toBe('NoSuchUpload');
  });
});

function* chunks(data: Buffer, size = 256 * 1024): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}
