import { createHash, randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketAclCommand,
  GetBucketLocationCommand, GetBucketVersioningCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand,
  PutObjectCommand, S3Client, GetBucketTaggingCommand, PutBucketTaggingCommand, GetBucketPolicyCommand,
} from '@aws-sdk/client-s3';
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

async function status(p: Promise<unknown>): Promise<number | undefined> {
  try {
    await p;
    return 200;
  } catch (e) {
    return (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

/** Resolves every host name (bucket.localhost included) to loopback, as a DNS entry for *.localhost would. */
const loopbackAgent = new Agent({
  lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
    opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
});

describe('S3 API with the JS SDK: buckets and objects', () => {
  let server: TestServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(server.clientConfig);
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
  });

  it('creates, lists, heads, locates and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'b-one' }));
    expect(await code(s3.send(new CreateBucketCommand({ Bucket: 'b-one' })))).toBe('BucketAlreadyOwnedByYou');
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain('b-one');
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'b-one' }));
    expect(head.BucketRegion).toBe('us-east-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'b-one' }))).LocationConstraint).toBeUndefined();
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'b-one' }))).Status).toBeUndefined();
    expect((await s3.send(new GetBucketAclCommand({ Bucket: 'b-one' }))).Grants?.[0]?.Permission).toBe('FULL_CONTROL');
    expect(await code(s3.send(new GetBucketTaggingCommand({ Bucket: 'b-one' })))).toBe('NoSuchTagSet');
    expect(await code(s3.send(new GetBucketPolicyCommand({ Bucket: 'b-one' })))).toBe('NoSuchBucketPolicy');
    expect(await code(s3.send(new PutBucketTaggingCommand({ Bucket: 'b-one', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } })))).toBe('NotImplemented');
    await s3.send(new PutObjectCommand({ Bucket: 'b-one', Key: 'k', Body: 'x' }));
    expect(await code(s3.send(new DeleteBucketCommand({ Bucket: 'b-one' })))).toBe('BucketNotEmpty');
    await s3.send(new DeleteObjectCommand({ Bucket: 'b-one', Key: 'k' }));
    await s3.send(new DeleteBucketCommand({ Bucket: 'b-one' }));
    expect(await code(s3.send(new HeadBucketCommand({ Bucket: 'b-one' })))).toBe('NotFound');
    expect(await code(s3.send(new DeleteBucketCommand({ Bucket: 'b-one' })))).toBe('NoSuchBucket');
  });

  it('accepts a CreateBucketConfiguration for its own region and refuses others', async () => {
    expect(await code(s3.send(new CreateBucketCommand({ Bucket: 'b-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })))).toBe(
      'IllegalLocationConstraintException',
    );
    const other = await startTestServer({ region: 'eu-west-1' });
    const c = new S3Client(other.clientConfig);
    try {
      await c.send(new CreateBucketCommand({ Bucket: 'b-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      expect((await c.send(new GetBucketLocationCommand({ Bucket: 'b-eu' }))).LocationConstraint).toBe('eu-west-1');
    } finally {
      c.destroy();
      await other.close();
    }
  });

  it('refuses invalid bucket names with InvalidBucketName', async () => {
    for (const bad of ['ab', 'Upper-Case', 'under_score', '10.0.0.1', 'dots..dots', 'x'.repeat(64)]) {
      expect(await code(s3.send(new CreateBucketCommand({ Bucket: bad }))), bad).toBe('InvalidBucketName');
    }
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === 'ab')).toBe(false);
  });

  it('round-trips bytes, metadata and headers; serves ranges and conditionals', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'objs' }));
    const data = randomBytes(300_000);
    const put = await s3.send(new PutObjectCommand({
      Bucket: 'objs', Key: 'dir/data.bin', Body: data, ContentType: 'application/x-thing', CacheControl: 'max-age=60',
      ContentDisposition: 'attachment; filename="d.bin"', Metadata: { Owner: 'me', 'multi-word': 'a b c' },
    }));
    expect(put.ETag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
    expect(got.ContentType).toBe('application/x-thing');
    expect(got.CacheControl).toBe('max-age=60');
    expect(got.ContentDisposition).toBe('attachment; filename="d.bin"');
    expect(got.Metadata).toEqual({ owner: 'me', 'multi-word': 'a b c' });
    expect(got.ContentLength).toBe(data.length);

    const range = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', Range: 'bytes=100-199' }));
    expect(range.ContentRange).toBe(`bytes 100-199/${data.length}`);
    expect(range.$metadata.httpStatusCode).toBe(206);
    expect(Buffer.from(await range.Body!.transformToByteArray()).equals(data.subarray(100, 200))).toBe(true);
    const suffix = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', Range: 'bytes=-10' }));
    expect(Buffer.from(await suffix.Body!.transformToByteArray()).equals(data.subarray(-10))).toBe(true);
    expect(await code(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', Range: `bytes=${data.length}-` })))).toBe('InvalidRange');

    const head = await s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin' }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toBe(put.ETag);
    expect(head.Metadata).toEqual({ owner: 'me', 'multi-word': 'a b c' });
    expect(await code(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', IfMatch: '"nope"' })))).toBe('PreconditionFailed');
    expect(await status(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', IfNoneMatch: put.ETag })))).toBe(304);
    expect(await status(s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', IfModifiedSince: new Date(Date.now() + 60_000) })))).toBe(304);
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', IfMatch: put.ETag, IfModifiedSince: new Date(0) }));
    expect(ok.$metadata.httpStatusCode).toBe(200);
    await ok.Body!.transformToByteArray();
    const overridden = await s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'dir/data.bin', ResponseContentType: 'text/plain' }));
    expect(overridden.ContentType).toBe('text/plain');
    await overridden.Body!.transformToByteArray();
    expect(await code(s3.send(new GetObjectCommand({ Bucket: 'objs', Key: 'missing' })))).toBe('NoSuchKey');
    expect(await code(s3.send(new HeadObjectCommand({ Bucket: 'objs', Key: 'missing' })))).toBe('NotFound');
    expect(await code(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })))).toBe('NoSuchBucket');
  });

  it('stores and verifies flexible checksums the SDK sends, and returns them on request', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'sums' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'sums', Key: 'k', Body: 'checksummed', ChecksumAlgorithm: 'SHA256' }));
    expect(put.ChecksumSHA256).toBe(createHash('sha256').update('checksummed').digest('base64'));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'sums', Key: 'k', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumSHA256).toBe(put.ChecksumSHA256);
    expect(await got.Body!.transformToString()).toBe('checksummed');
  });

  it('keeps odd keys as plain keys: ../, NUL, backslash, Unicode, spaces', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'odd' }));
    const keys = ['../../../etc/passwd', 'a/./b/../c', 'back\\slash', 'nul\u0000byte', 'ünïcødé/日本語/😀', 'plus+and space', '?query#hash', '%2F%20'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: 'odd', Key, Body: `v:${Key}` }));
    for (const Key of keys) {
      const got = await s3.send(new GetObjectCommand({ Bucket: 'odd', Key }));
      expect(await got.Body!.transformToString(), Key).toBe(`v:${Key}`);
    }
    expect(await code(s3.send(new PutObjectCommand({ Bucket: 'odd', Key: 'k'.repeat(1025), Body: 'x' })))).toBe('KeyTooLongError');
  });

  it('copies objects with URL-encoded sources and both metadata directives', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'copies' }));
    await s3.send(new PutObjectCommand({ Bucket: 'copies', Key: 'src dir/ä+b.txt', Body: 'copy me', ContentType: 'text/plain', Metadata: { a: '1' } }));
    const src = `copies/${encodeURIComponent('src dir/ä+b.txt')}`;
    const c1 = await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst1', CopySource: src }));
    expect(c1.CopyObjectResult?.ETag).toBe(`"${createHash('md5').update('copy me').digest('hex')}"`);
    const h1 = await s3.send(new HeadObjectCommand({ Bucket: 'copies', Key: 'dst1' }));
    expect(h1.Metadata).toEqual({ a: '1' });
    expect(h1.ContentType).toBe('text/plain');
    await s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst2', CopySource: src, MetadataDirective: 'REPLACE', ContentType: 'text/csv', Metadata: { b: '2' } }));
    const h2 = await s3.send(new HeadObjectCommand({ Bucket: 'copies', Key: 'dst2' }));
    expect(h2.Metadata).toEqual({ b: '2' });
    expect(h2.ContentType).toBe('text/csv');
    expect(await code(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst3', CopySource: 'copies/missing' })))).toBe('NoSuchKey');
    expect(await code(s3.send(new CopyObjectCommand({ Bucket: 'copies', Key: 'dst1', CopySource: 'copies/dst1' })))).toBe('InvalidRequest');
  });

  it('deletes objects singly and in batches, Quiet or not', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'dels' }));
    for (const k of ['a', 'b', 'c', 'd']) await s3.send(new PutObjectCommand({ Bucket: 'dels', Key: k, Body: k }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'dels', Key: 'never-existed' }));
    const loud = await s3.send(new DeleteObjectsCommand({ Bucket: 'dels', Delete: { Objects: [{ Key: 'a' }, { Key: 'b' }, { Key: 'zz' }] } }));
    expect(loud.Deleted?.map((d) => d.Key).sort()).toEqual(['a', 'b', 'zz']);
    expect(loud.Errors ?? []).toEqual([]);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: 'dels', Delete: { Objects: [{ Key: 'c' }], Quiet: true } }));
    expect(quiet.Deleted ?? []).toEqual([]);
    expect(await code(s3.send(new HeadObjectCommand({ Bucket: 'dels', Key: 'c' })))).toBe('NotFound');
    expect(await code(s3.send(new HeadObjectCommand({ Bucket: 'dels', Key: 'a' })))).toBe('NotFound');
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'dels', Key: 'd' }))).ContentLength).toBe(1);
  });

  it('routes virtual-hosted requests (bucket.localhost)', async () => {
    const port = new URL(server.endpoint).port;
    const vh = new S3Client({ ...server.clientConfig, endpoint: `http://localhost:${port}`, forcePathStyle: false, requestHandler: { httpAgent: loopbackAgent } });
    try {
      await vh.send(new CreateBucketCommand({ Bucket: 'vhost' }));
      await vh.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'deep/key.txt', Body: 'virtual' }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'deep/key.txt' }));
      expect(await got.Body!.transformToString()).toBe('virtual');
    } finally {
      vh.destroy();
    }
  });
});
