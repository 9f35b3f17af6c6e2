import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectStore } from './object-store.js';

/**
 * The ObjectStore contract: every implementation (embedded, external S3) registers these tests
 * with its own factory and must pass all of them.
 */
export interface ContractSubject {
  readonly store: ObjectStore;
  cleanup(): Promise<void>;
}

export const bodyOf = (data: Buffer | string) => Readable.from([Buffer.from(data)]);
export const md5b64 = (data: Buffer) => createHash('md5').update(data).digest('base64');
const md5hex = (data: Buffer) => createHash('md5').update(data).digest('hex');

export async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string; name?: string }).code ?? (e as Error).name;
  }
  return 'no error';
}

let counter = 0;
const bucketName = () => `contract-${process.pid}-${Date.now().toString(36)}-${counter++}`;

/** UTF-8 binary order, S3's listing order. */
export const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export function objectStoreContract(name: string, open: () => Promise<ContractSubject>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let subject: ContractSubject;
    let s: ObjectStore;
    beforeAll(async () => {
      subject = await open();
      s = subject.store;
    });
    afterAll(async () => subject?.cleanup());

    async function freshBucket(): Promise<string> {
      const b = bucketName();
      await s.createBucket(b, 'us-east-1');
      return b;
    }

    it('creates, lists, heads and deletes buckets', async () => {
      const b = await freshBucket();
      expect((await s.listBuckets()).map((x) => x.name)).toContain(b);
      expect((await s.headBucket(b)).name).toBe(b);
      expect(await code(s.createBucket(b, 'us-east-1'))).toBe('BucketAlreadyOwnedByYou');
      await s.putObject(b, 'k', bodyOf('x'));
      expect(await code(s.deleteBucket(b))).toBe('BucketNotEmpty');
      await s.deleteObject(b, 'k');
      await s.deleteBucket(b);
      expect(await code(s.headBucket(b))).toBe('NoSuchBucket');
      expect(await code(s.putObject(b, 'k', bodyOf('x')))).toBe('NoSuchBucket');
    });

    it('refuses invalid bucket names', async () => {
      for (const bad of ['ab', 'A-upper', 'has_underscore', '192.168.1.1', 'a..b', '-lead', 'trail-', 'x'.repeat(64), 'a.-b']) {
        expect(await code(s.createBucket(bad, 'us-east-1')), bad).toBe('InvalidBucketName');
      }
    });

    it('round-trips bytes, etag, headers and metadata', async () => {
      const b = await freshBucket();
      const data = randomBytes(100_000);
      const put = await s.putObject(b, 'dir/file.bin', bodyOf(data), {
        contentType: 'application/x-test', cacheControl: 'no-cache', contentDisposition: 'attachment', metadata: { color: 'blue', 'x-y': 'z' },
        contentLength: data.length, contentMD5: md5b64(data),
      });
      expect(put.etag).toBe(`"${md5hex(data)}"`);
      expect(put.size).toBe(data.length);
      const got = await s.getObject(b, 'dir/file.bin');
      expect((await readAll(got.body)).equals(data)).toBe(true);
      expect(got.info).toMatchObject({ size: data.length, etag: put.etag, contentType: 'application/x-test', cacheControl: 'no-cache', contentDisposition: 'attachment' });
      expect(got.info.metadata).toEqual({ color: 'blue', 'x-y': 'z' });
      const head = await s.headObject(b, 'dir/file.bin');
      expect(head.etag).toBe(put.etag);
      expect(await code(s.headObject(b, 'missing'))).toBe('NoSuchKey');
      expect(await code(s.getObject(b, 'missing'))).toBe('NoSuchKey');
      const empty = await s.putObject(b, 'empty', bodyOf(''), { contentLength: 0 });
      expect(empty.etag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
      expect((await readAll((await s.getObject(b, 'empty')).body)).length).toBe(0);
    });

    it('keeps the old object when a write fails its Content-MD5, and writes nothing new', async () => {
      const b = await freshBucket();
      await s.putObject(b, 'k', bodyOf('old'));
      expect(await code(s.putObject(b, 'k', bodyOf('new!'), { contentMD5: md5b64(Buffer.from('other')), contentLength: 4 }))).toBe('BadDigest');
      expect(await code(s.putObject(b, 'k2', bodyOf('new!'), { contentMD5: md5b64(Buffer.from('other')), contentLength: 4 }))).toBe('BadDigest');
      expect((await readAll((await s.getObject(b, 'k')).body)).toString()).toBe('old');
      expect(await code(s.headObject(b, 'k2'))).toBe('NoSuchKey');
    });

    it('treats ../, NUL, and Unicode in keys as plain keys; refuses keys over 1024 bytes', async () => {
      const b = await freshBucket();
      const keys = ['../../etc/passwd', 'a/../../b', 'nul\u0000key', 'ünï/cødé/😀', ' spaced key ', 'a//b', '.', '..'];
      for (const k of keys) await s.putObject(b, k, bodyOf(`v:${k}`));
      for (const k of keys) expect((await readAll((await s.getObject(b, k)).body)).toString()).toBe(`v:${k}`);
      const listed = (await s.listObjects(b, { maxKeys: 1000 })).objects.map((o) => o.key);
      expect(listed).toEqual([...keys].sort(utf8Order));
      expect(await code(s.putObject(b, 'k'.repeat(1025), bodyOf('x')))).toBe('KeyTooLongError');
      await s.putObject(b, 'é'.repeat(512), bodyOf('x'));
      expect(await code(s.putObject(b, 'é'.repeat(513), bodyOf('x')))).toBe('KeyTooLongError');
    });

    it('serves byte ranges and refuses unsatisfiable ones', async () => {
      const b = await freshBucket();
      const data = Buffer.from('0123456789');
      await s.putObject(b, 'r', bodyOf(data));
      const cases: [Parameters<ObjectStore['getObject']>[2], string, { start: number; end: number }][] = [
        [{ start: 2, end: 5 }, '2345', { start: 2, end: 5 }],
        [{ start: 7 }, '789', { start: 7, end: 9 }],
        [{ suffix: 3 }, '789', { start: 7, end: 9 }],
        [{ start: 8, end: 100 }, '89', { start: 8, end: 9 }],
        [{ suffix: 50 }, '0123456789', { start: 0, end: 9 }],
      ];
      for (const [range, text, served] of cases) {
        const got = await s.getObject(b, 'r', range);
        expect((await readAll(got.body)).toString()).toBe(text);
        expect(got.range).toEqual(served);
        expect(got.info.size).toBe(10);
      }
      expect(await code(s.getObject(b, 'r', { start: 10 }))).toBe('InvalidRange');
    });

    it('deletes idempotently', async () => {
      const b = await freshBucket();
      await s.putObject(b, 'd', bodyOf('x'));
      await s.deleteObject(b, 'd');
      await s.deleteObject(b, 'd');
      expect(await code(s.headObject(b, 'd'))).toBe('NoSuchKey');
      expect(await code(s.deleteObject(bucketName(), 'd'))).toBe('NoSuchBucket');
    });

    it('copies with COPY and REPLACE metadata directives', async () => {
      const b = await freshBucket();
      const b2 = await freshBucket();
      await s.putObject(b, 'src key+é', bodyOf('payload'), { contentType: 'text/plain', metadata: { a: '1' } });
      const c1 = await s.copyObject({ bucket: b, key: 'src key+é' }, { bucket: b2, key: 'copy' }, { metadataDirective: 'COPY' });
      expect(c1.etag).toBe(`"${md5hex(Buffer.from('payload'))}"`);
      const h1 = await s.headObject(b2, 'copy');
      expect(h1.metadata).toEqual({ a: '1' });
      expect(h1.contentType).toBe('text/plain');
      await s.copyObject({ bucket: b, key: 'src key+é' }, { bucket: b, key: 'src key+é' }, { metadataDirective: 'REPLACE', contentType: 'text/csv', metadata: { b: '2' } });
      const h2 = await s.headObject(b, 'src key+é');
      expect(h2.metadata).toEqual({ b: '2' });
      expect(h2.contentType).toBe('text/csv');
      expect((await readAll((await s.getObject(b, 'src key+é')).body)).toString()).toBe('payload');
      expect(await code(s.copyObject({ bucket: b, key: 'nope' }, { bucket: b, key: 'x' }, { metadataDirective: 'COPY' }))).toBe('NoSuchKey');
    });

    it('lists with prefix, delimiter, start-after and max-keys, common prefixes counting as keys', async () => {
      const b = await freshBucket();
      const keys = ['a/1', 'a/2', 'a/b/3', 'b', 'c/1', 'c/2', 'd'];
      for (const k of keys) await s.putObject(b, k, bodyOf(k));
      const all = await s.listObjects(b, { maxKeys: 1000 });
      expect(all.objects.map((o) => o.key)).toEqual(keys);
      expect(all.isTruncated).toBe(false);
      const d = await s.listObjects(b, { delimiter: '/', maxKeys: 1000 });
      expect(d.objects.map((o) => o.key)).toEqual(['b', 'd']);
      expect(d.commonPrefixes).toEqual(['a/', 'c/']);
      const p = await s.listObjects(b, { prefix: 'a/', delimiter: '/', maxKeys: 1000 });
      expect(p.objects.map((o) => o.key)).toEqual(['a/1', 'a/2']);
      expect(p.commonPrefixes).toEqual(['a/b/']);
      const page1 = await s.listObjects(b, { delimiter: '/', maxKeys: 2 });
      expect([...page1.commonPrefixes, ...page1.objects.map((o) => o.key)].sort()).toEqual(['a/', 'b']);
      expect(page1.isTruncated).toBe(true);
      expect(page1.nextMarker).toBe('b');
      const page2 = await s.listObjects(b, { delimiter: '/', maxKeys: 2, startAfter: page1.nextMarker });
      expect(page2.commonPrefixes).toEqual(['c/']);
      expect(page2.objects.map((o) => o.key)).toEqual(['d']);
      expect(page2.isTruncated).toBe(false);
      const sa = await s.listObjects(b, { startAfter: 'a/2', maxKeys: 2 });
      expect(sa.objects.map((o) => o.key)).toEqual(['a/b/3', 'b']);
      expect(sa.isTruncated).toBe(true);
      const zero = await s.listObjects(b, { maxKeys: 0 });
      expect(zero.objects).toEqual([]);
      expect((await s.listObjects(b, { prefix: 'zzz', maxKeys: 10 })).objects).toEqual([]);
      expect(await code(s.listObjects(bucketName(), { maxKeys: 10 }))).toBe('NoSuchBucket');
    });

    it('sorts by UTF-8 bytes, not UTF-16 code units', async () => {
      const b = await freshBucket();
      const keys = ['\uFFFD', '😀', 'z', 'é', 'A'];
      for (const k of keys) await s.putObject(b, k, bodyOf('x'));
      const listed = (await s.listObjects(b, { maxKeys: 100 })).objects.map((o) => o.key);
      expect(listed).toEqual(['A', 'z', 'é', '\uFFFD', '😀']);
    });

    it('paginates to exactly the reference listing (property)', async () => {
      const b = await freshBucket();
      const alphabet = ['a', 'b', '/', 'é', '-'];
      const keyArb = fc.array(fc.constantFrom(...alphabet), { minLength: 1, maxLength: 5 }).map((cs) => cs.join(''));
      const keys = [...new Set(fc.sample(keyArb, { numRuns: 40, seed: 7 }))];
      for (const k of keys) await s.putObject(b, k, bodyOf('x'));
      const sorted = [...keys].sort(utf8Order);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom('', 'a', 'a/', 'b', 'é'), fc.constantFrom(undefined, '/', 'b'), fc.integer({ min: 1, max: 4 }), async (prefix, delimiter, maxKeys) => {
          const expected: string[] = [];
          for (const k of sorted.filter((k) => k.startsWith(prefix))) {
            const at = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
            const entry = at >= 0 ? k.slice(0, at + delimiter!.length) : k;
            if (expected[expected.length - 1] !== entry) expected.push(entry);
          }
          const seen: string[] = [];
          let startAfter: string | undefined;
          for (let page = 0; page < 100; page++) {
            const r = await s.listObjects(b, { prefix, delimiter, maxKeys, startAfter });
            const entries = [...r.objects.map((o) => o.key), ...r.commonPrefixes].sort(utf8Order);
            expect(entries.length).toBeLessThanOrEqual(maxKeys);
            seen.push(...entries);
            if (!r.isTruncated) break;
            startAfter = r.nextMarker;
          }
          expect(seen).toEqual(expected);
        }),
        { numRuns: 25, seed: 11 },
      );
    });

    it('completes a multipart upload with S3 ETag rules', async () => {
      const b = await freshBucket();
      const p1 = randomBytes(5 * 1024 * 1024);
      const p2 = randomBytes(1234);
      const up = await s.createMultipartUpload(b, 'mp', { contentType: 'text/x-mp', metadata: { m: 'v' } });
      expect((await s.listMultipartUploads(b, { maxUploads: 100 })).uploads.map((u) => u.uploadId)).toContain(up.uploadId);
      const e1 = await s.uploadPart(b, 'mp', up.uploadId, 1, bodyOf(p1), { contentLength: p1.length });
      const e2 = await s.uploadPart(b, 'mp', up.uploadId, 2, bodyOf(p2), { contentLength: p2.length, contentMD5: md5b64(p2) });
      expect(e1.etag).toBe(`"${md5hex(p1)}"`);
      const listed = await s.listParts(b, 'mp', up.uploadId, { maxParts: 1 });
      expect(listed.parts.map((p) => p.partNumber)).toEqual([1]);
      expect(listed.isTruncated).toBe(true);
      const rest = await s.listParts(b, 'mp', up.uploadId, { maxParts: 10, partNumberMarker: listed.nextPartNumberMarker });
      expect(rest.parts.map((p) => [p.partNumber, p.size])).toEqual([[2, p2.length]]);
      expect(await code(s.completeMultipartUpload(b, 'mp', up.uploadId, [{ partNumber: 2, etag: e2.etag }, { partNumber: 1, etag: e1.etag }]))).toBe('InvalidPartOrder');
      expect(await code(s.completeMultipartUpload(b, 'mp', up.uploadId, [{ partNumber: 1, etag: e1.etag }, { partNumber: 2, etag: '"00000000000000000000000000000000"' }]))).toBe('InvalidPart');
      expect(await code(s.completeMultipartUpload(b, 'mp', up.uploadId, [{ partNumber: 1, etag: e1.etag }, { partNumber: 3, etag: e2.etag }]))).toBe('InvalidPart');
      expect(await code(s.headObject(b, 'mp'))).toBe('NoSuchKey');
      const done = await s.completeMultipartUpload(b, 'mp', up.uploadId, [{ partNumber: 1, etag: e1.etag }, { partNumber: 2, etag: e2.etag }]);
      const expectedEtag = createHash('md5').update(Buffer.concat([createHash('md5').update(p1).digest(), createHash('md5').update(p2).digest()])).digest('hex');
      expect(done.etag).toBe(`"${expectedEtag}-2"`);
      const got = await s.getObject(b, 'mp');
      expect((await readAll(got.body)).equals(Buffer.concat([p1, p2]))).toBe(true);
      expect(got.info.contentType).toBe('text/x-mp');
      expect(got.info.metadata).toEqual({ m: 'v' });
      expect(await code(s.listParts(b, 'mp', up.uploadId, { maxParts: 10 }))).toBe('NoSuchUpload');
      expect((await s.listMultipartUploads(b, { maxUploads: 100 })).uploads).toEqual([]);
    });

    it('refuses small non-last parts, aborts uploads, and answers NoSuchUpload', async () => {
      const b = await freshBucket();
      const up = await s.createMultipartUpload(b, 'small');
      const a = await s.uploadPart(b, 'small', up.uploadId, 1, bodyOf('aaa'), { contentLength: 3 });
      const c = await s.uploadPart(b, 'small', up.uploadId, 2, bodyOf('bbb'), { contentLength: 3 });
      expect(await code(s.completeMultipartUpload(b, 'small', up.uploadId, [{ partNumber: 1, etag: a.etag }, { partNumber: 2, etag: c.etag }]))).toBe('EntityTooSmall');
      expect(await code(s.deleteBucket(b))).toBe('BucketNotEmpty');
      await s.abortMultipartUpload(b, 'small', up.uploadId);
      expect(await code(s.uploadPart(b, 'small', up.uploadId, 3, bodyOf('c'), { contentLength: 1 }))).toBe('NoSuchUpload');
      expect(await code(s.abortMultipartUpload(b, 'small', up.uploadId))).toBe('NoSuchUpload');
      expect(await code(s.completeMultipartUpload(b, 'small', 'not-an-upload', [{ partNumber: 1, etag: a.etag }]))).toBe('NoSuchUpload');
      const one = await s.createMultipartUpload(b, 'one');
      const only = await s.uploadPart(b, 'one', one.uploadId, 1, bodyOf('tiny'), { contentLength: 4 });
      await s.completeMultipartUpload(b, 'one', one.uploadId, [{ partNumber: 1, etag: only.etag }]);
      expect((await readAll((await s.getObject(b, 'one')).body)).toString()).toBe('tiny');
      await s.deleteObject(b, 'one');
      await s.deleteBucket(b);
    });
  });
}
