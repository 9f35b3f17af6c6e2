import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BATCH } from './blob-sink.js';
import { writeBlob } from './blob-writer.js';

/** A body delivered in socket-sized pieces (uneven, so batches straddle chunk edges). */
function chunked(data: Buffer, piece = 65_521): Readable {
  return Readable.from(
    (function* () {
      for (let at = 0; at < data.length; at += piece) yield data.subarray(at, at + piece);
    })(),
  );
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest();

describe('writeBlob (batched writes, MD5 off the event loop for large bodies)', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'clary-blob-'));
    await mkdir(join(root, 'tmp'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const leftovers = async () => readdir(join(root, 'tmp'));

  it.each([
    ['empty', 0],
    ['small', 1000],
    ['exactly one batch', BATCH],
    ['a batch and a byte', BATCH + 1],
    ['many batches, uneven end', 9 * BATCH + 12_345],
  ])('writes %s bodies whole, with the right MD5 and size', async (_name, size) => {
    const data = randomBytes(size);
    const blob = await writeBlob(root, chunked(data), { contentLength: size });
    expect(blob.size).toBe(size);
    expect(blob.md5.equals(md5(data))).toBe(true);
    expect((await readFile(blob.path)).equals(data)).toBe(true);
    expect(await leftovers()).toEqual([]);
  });

  it('writes a body of unknown length (no Content-Length) whole', async () => {
    const data = randomBytes(3 * BATCH + 77);
    const blob = await writeBlob(root, chunked(data, 300_000));
    expect(blob.md5.equals(md5(data))).toBe(true);
    expect((await readFile(blob.path)).equals(data)).toBe(true);
  });

  it('keeps concurrent large writes apart', async () => {
    const bodies = [randomBytes(4 * BATCH + 1), randomBytes(5 * BATCH), randomBytes(2 * BATCH + 999)];
    const blobs = await Promise.all(bodies.map((d) => writeBlob(root, chunked(d), { contentLength: d.length })));
    blobs.forEach((b, i) => expect(b.md5.equals(md5(bodies[i]!))).toBe(true));
    for (const [i, b] of blobs.entries()) expect((await readFile(b.path)).equals(bodies[i]!)).toBe(true);
  });

  it('refuses a body longer than declared (IncompleteBody) and leaves nothing', async () => {
    const data = randomBytes(2 * BATCH);
    await expect(writeBlob(root, chunked(data), { contentLength: 2 * BATCH - 1 })).rejects.toMatchObject({ code: 'IncompleteBody' });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a body shorter than declared (IncompleteBody)', async () => {
    const data = randomBytes(BATCH + 10);
    await expect(writeBlob(root, chunked(data), { contentLength: BATCH + 11 })).rejects.toMatchObject({ code: 'IncompleteBody' });
    expect(await leftovers()).toEqual([]);
  });

  it('stops at maxBytes (EntityTooLarge) even without a declared length', async () => {
    const data = randomBytes(3 * BATCH);
    await expect(writeBlob(root, chunked(data), { maxBytes: 2 * BATCH })).rejects.toMatchObject({ code: 'EntityTooLarge' });
    expect(await leftovers()).toEqual([]);
  });

  it('refuses a wrong Content-MD5 (BadDigest) on a large body', async () => {
    const data = randomBytes(2 * BATCH + 5);
    const wrong = md5(Buffer.from('something else')).toString('base64');
    await expect(writeBlob(root, chunked(data), { contentLength: data.length, contentMD5: wrong })).rejects.toMatchObject({ code: 'BadDigest' });
    const right = md5(data).toString('base64');
    const blob = await writeBlob(root, chunked(data), { contentLength: data.length, contentMD5: right });
    expect(blob.size).toBe(data.length);
  });

  it('fails and cleans up when the body errors midway (a client that went away)', async () => {
    const body = new PassThrough();
    const done = writeBlob(root, body, { contentLength: 10 * BATCH });
    body.write(randomBytes(3 * BATCH));
    setImmediate(() => body.destroy(new Error('client went away')));
    await expect(done).rejects.toThrow('client went away');
    expect(await leftovers()).toEqual([]);
  });
});
