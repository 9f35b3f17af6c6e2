import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openEmbeddedObjectStore } from './embedded-store.js';
import { bodyOf, objectStoreContract, readAll } from './object-store.contract.js';
import type { ObjectStore } from './object-store.js';

objectStoreContract('embedded', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clary-objects-'));
  const store = await openEmbeddedObjectStore(dir);
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded store: atomicity and crash leftovers', () => {
  let dir: string;
  let store: ObjectStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clary-objects-'));
    store = await openEmbeddedObjectStore(dir);
    await store.createBucket('bkt', 'us-east-1');
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const files = async (sub: string) => (await readdir(join(dir, sub), { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);

  it('leaves nothing when the body is aborted midway, and keeps the previous object', async () => {
    await store.putObject('bkt', 'k', bodyOf('previous'));
    const body = new PassThrough();
    const ac = new AbortController();
    const pending = store.putObject('bkt', 'k', body, { signal: ac.signal });
    body.write(Buffer.alloc(64 * 1024, 1));
    await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    await expect(pending).rejects.toThrow();
    expect((await readAll((await store.getObject('bkt', 'k')).body)).toString()).toBe('previous');
    expect(await files('tmp')).toEqual([]);
    expect(await files('blobs')).toHaveLength(1);
  });

  it('answers IncompleteBody when the body is shorter or longer than declared, writing nothing', async () => {
    await expect(store.putObject('bkt', 'short', bodyOf('12345'), { contentLength: 10 })).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(store.putObject('bkt', 'long', bodyOf('12345'), { contentLength: 3 })).rejects.toMatchObject({ code: 'IncompleteBody' });
    await expect(store.headObject('bkt', 'short')).rejects.toMatchObject({ code: 'NoSuchKey' });
    await expect(store.headObject('bkt', 'long')).rejects.toMatchObject({ code: 'NoSuchKey' });
    expect(await files('tmp')).toEqual([]);
    expect(await files('blobs')).toEqual([]);
  });

  it('refuses a malformed Content-MD5 with InvalidDigest', async () => {
    await expect(store.putObject('bkt', 'k', bodyOf('x'), { contentMD5: 'not-base64-md5' })).rejects.toMatchObject({ code: 'InvalidDigest' });
  });

  it('stores bytes under random blob ids, never under the key, and unlinks replaced blobs', async () => {
    await store.putObject('bkt', '../../escape', bodyOf('one'));
    const first = await store.localPath!('bkt', '../../escape');
    expect(first!.startsWith(join(dir, 'blobs'))).toBe(true);
    expect(await readFile(first!, 'utf8')).toBe('one');
    await store.putObject('bkt', '../../escape', bodyOf('two'));
    const second = await store.localPath!('bkt', '../../escape');
    expect(second).not.toBe(first);
    expect(await files('blobs')).toHaveLength(1);
    expect(await store.localPath!('bkt', 'missing')).toBeUndefined();
  });

  it('sweeps temp files and unreferenced blobs on open, keeping live ones', async () => {
    await store.putObject('bkt', 'live', bodyOf('alive'));
    const up = await store.createMultipartUpload('bkt', 'mp');
    await store.uploadPart('bkt', 'mp', up.uploadId, 1, bodyOf('part'));
    await store.close();
    await writeFile(join(dir, 'tmp', 'half-written'), 'junk');
    await mkdir(join(dir, 'blobs', 'ff'), { recursive: true });
    await writeFile(join(dir, 'blobs', 'ff', 'ff00000000000000000000000000dead'), 'orphan');
    store = await openEmbeddedObjectStore(dir);
    expect(await files('tmp')).toEqual([]);
    expect((await files('blobs')).sort()).toHaveLength(2);
    expect((await readAll((await store.getObject('bkt', 'live')).body)).toString()).toBe('alive');
    expect((await store.listParts('bkt', 'mp', up.uploadId, { maxParts: 10 })).parts).toHaveLength(1);
  });

  it('serves a reader that opened the old blob even after the object is replaced', async () => {
    const big = Buffer.alloc(1024 * 1024, 7);
    await store.putObject('bkt', 'r', bodyOf(big));
    const got = await store.getObject('bkt', 'r');
    await store.putObject('bkt', 'r', bodyOf('new'));
    expect((await readAll(got.body)).equals(big)).toBe(true);
  });
});
