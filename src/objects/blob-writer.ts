import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, unlink, mkdir, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobSink } from './blob-sink.js';
import { s3Errors } from './s3-errors.js';

/** Blob files live under blobs/<2 hex>/<id>; ids are random, never derived from keys. */
export const newBlobId = (): string => randomBytes(16).toString('hex');

export function blobPath(root: string, id: string): string {
  return join(root, 'blobs', id.slice(0, 2), id);
}

export interface WrittenBlob {
  readonly id: string;
  readonly path: string;
  readonly size: number;
  /** Binary MD5 of the bytes. */
  readonly md5: Buffer;
}

export interface BlobWriteOptions {
  readonly contentMD5?: string;
  readonly contentLength?: number;
  /** Refuse (EntityTooLarge) as soon as more than this many bytes arrive. */
  readonly maxBytes?: number;
  readonly signal?: AbortSignal;
}

/** Decodes a Content-MD5 header; InvalidDigest when it is not base64 of 16 bytes. */
export function decodeContentMD5(value: string): Buffer {
  const buf = Buffer.from(value, 'base64');
  if (buf.length !== 16 || buf.toString('base64') !== value.trim()) throw s3Errors.invalidDigest(value);
  return buf;
}

/**
 * Streams `body` to tmp/<id> while hashing it (blob-sink.ts), checks the declared length and Content-MD5, fsyncs,
 * and renames it into blobs/. On any failure (bad digest, short body, abort) the temp file is
 * removed and nothing is left behind. The caller makes the blob visible in the index.
 */
export async function writeBlob(root: string, body: Readable, opts: BlobWriteOptions = {}): Promise<WrittenBlob> {
  const expectedMd5 = opts.contentMD5 === undefined ? undefined : decodeContentMD5(opts.contentMD5);
  if (opts.maxBytes !== undefined && opts.contentLength !== undefined && opts.contentLength > opts.maxBytes) {
    body.resume();
    throw s3Errors.entityTooLarge(opts.contentLength, opts.maxBytes);
  }
  const id = newBlobId();
  const tmp = join(root, 'tmp', id);
  let fh: FileHandle | undefined;
  // Until the pipeline listens, a body that fails (client gone) must not go unheard.
  let early: Error | undefined;
  const onEarly = (e: Error) => void (early ??= e);
  body.on('error', onEarly);
  try {
    try {
      fh = await open(tmp, 'wx', 0o600);
    } finally {
      body.off('error', onEarly);
    }
    if (early) throw early;
    // The sink fsyncs the file before it finishes, so a renamed blob is always whole on disk.
    const sink = new BlobSink(fh, { maxBytes: opts.maxBytes, contentLength: opts.contentLength });
    await pipeline(body, sink, opts.signal ? { signal: opts.signal } : {});
    await fh.close();
    fh = undefined;
    const size = sink.size;
    if (opts.contentLength !== undefined && size !== opts.contentLength) throw s3Errors.incompleteBody();
    const md5 = sink.md5!;
    if (expectedMd5 && !md5.equals(expectedMd5)) throw s3Errors.badDigest();
    const path = await publish(root, id, tmp);
    return { id, path, size, md5 };
  } catch (e) {
    await fh?.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    if (!body.readableEnded) body.resume();
    throw e;
  }
}

/** Renames a finished temp file into blobs/ and makes the rename durable. */
async function publish(root: string, id: string, tmp: string): Promise<string> {
  const dir = join(root, 'blobs', id.slice(0, 2));
  await mkdir(dir, { recursive: true });
  const path = join(dir, id);
  await rename(tmp, path);
  await syncDir(dir);
  return path;
}

/** Concatenates existing blobs into a new one (multipart completion), fsynced and renamed into blobs/. */
export async function concatBlobs(root: string, sources: readonly string[], signal?: AbortSignal): Promise<{ id: string; path: string; size: number }> {
  const id = newBlobId();
  const tmp = join(root, 'tmp', id);
  // Large reads and a deep write buffer: one thread-pool trip per MiB, not per 64 KiB (see blob-sink.ts).
  const out = createWriteStream(tmp, { flags: 'wx', mode: 0o600, flush: true, highWaterMark: 8 * 1024 * 1024 });
  try {
    let failed: Error | undefined;
    out.on('error', (e) => (failed ??= e));
    for (const src of sources) {
      for await (const chunk of createReadStream(src, { highWaterMark: 1024 * 1024, ...(signal ? { signal } : {}) })) {
        if (failed) throw failed;
        if (!out.write(chunk)) await once(out, 'drain');
      }
    }
    await new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });
    if (failed) throw failed;
    const size = out.bytesWritten;
    const path = await publish(root, id, tmp);
    return { id, path, size };
  } catch (e) {
    out.destroy();
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Makes a rename durable across power loss (a crash of the process alone never needs it). */
async function syncDir(dir: string): Promise<void> {
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
