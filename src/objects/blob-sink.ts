import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { WorkerMd5 } from './md5-worker.js';
import { s3Errors } from './s3-errors.js';

/** Bytes gathered before one positioned write (and one MD5 step): 16 × the socket's 64 KiB reads. */
export const BATCH = 1024 * 1024;
/** Batches written/hashed at once per upload; the body keeps flowing meanwhile (8 MiB per upload). */
const MAX_IN_FLIGHT = 8;
/** Start writing back what is on disk every this many bytes, so the final fsync has little left to do. */
const SYNC_EVERY = 64 * 1024 * 1024;

/** Shared-memory batch buffers, reused across uploads (the MD5 worker reads them without a copy). */
const free: Buffer[] = [];
const MAX_FREE = 32;
const takeBatch = (): Buffer => free.pop() ?? Buffer.from(new SharedArrayBuffer(BATCH));
const giveBatch = (b: Buffer) => {
  if (b.length === BATCH && b.buffer instanceof SharedArrayBuffer && free.length < MAX_FREE) free.push(b);
};

export interface BlobSinkOptions {
  /** Refuse (EntityTooLarge) as soon as more than this many bytes arrive. */
  readonly maxBytes?: number;
  /** The declared length: more bytes is IncompleteBody straight away (less is the caller's check). */
  readonly contentLength?: number;
}

/**
 * Where a blob's bytes go (blob-writer.ts): gathers the body into 1 MiB batches, writes each at its
 * offset and MD5-hashes it while the next one fills, keeps a few batches in flight so the socket
 * never waits on the disk, and ends only after every byte is written and fsynced. Compared with
 * Transform → fs.WriteStream (16 KiB high-water mark): one thread-pool round trip per MiB instead of
 * one per 64 KiB, and the MD5 of large bodies off the event loop (md5-worker.ts).
 */
export class BlobSink extends Writable {
  /** Bytes received. */
  size = 0;
  /** Binary MD5 of the bytes, once the stream has finished. */
  md5: Buffer | undefined;

  private batch: Buffer | undefined;
  private fill = 0;
  private position = 0;
  private inFlight = 0;
  private readonly work = new Set<Promise<void>>();
  private blocked: ((e?: Error | null) => void) | undefined;
  private failure: Error | undefined;
  private hash: Hash | WorkerMd5 | undefined;
  private syncing: Promise<void> | undefined;
  private nextSync = SYNC_EVERY;
  private readonly queue: { view: Buffer; position: number; resolve(): void; reject(e: Error): void }[] = [];
  private writing = false;

  constructor(
    private readonly fh: FileHandle,
    private readonly opts: BlobSinkOptions = {},
  ) {
    super({ highWaterMark: BATCH });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, callback: (e?: Error | null) => void): void {
    if (this.failure) return callback(this.failure);
    this.size += chunk.length;
    const { maxBytes, contentLength } = this.opts;
    if (maxBytes !== undefined && this.size > maxBytes) return callback(s3Errors.entityTooLarge(this.size, maxBytes));
    if (contentLength !== undefined && this.size > contentLength) return callback(s3Errors.incompleteBody());
    let at = 0;
    while (at < chunk.length) {
      this.batch ??= this.newBatch();
      const n = chunk.copy(this.batch, this.fill, at);
      this.fill += n;
      at += n;
      if (this.fill === this.batch.length) this.dispatch();
    }
    if (this.inFlight >= MAX_IN_FLIGHT) this.blocked = callback;
    else callback();
  }

  /** A body known to be small gets one buffer of its size, hashed inline; others get pooled batches. */
  private newBatch(): Buffer {
    const declared = this.opts.contentLength;
    if (this.position === 0 && declared !== undefined && declared < BATCH) return Buffer.allocUnsafe(Math.max(declared, 1));
    return takeBatch();
  }

  private dispatch(): void {
    const buf = this.batch!;
    const view = buf.subarray(0, this.fill);
    this.batch = undefined;
    this.fill = 0;
    // Decided once, at the first batch: a full batch means a large body, worth the worker.
    this.hash ??= view.length === BATCH && view.buffer instanceof SharedArrayBuffer ? new WorkerMd5() : createHash('md5');
    const hashed = this.hash instanceof WorkerMd5 ? this.hash.update(view) : (this.hash.update(view), undefined);
    const written = this.enqueueWrite(view, this.position);
    this.position += view.length;
    this.inFlight++;
    const step: Promise<void> = Promise.all([written, hashed]).then(
      () => {
        giveBatch(buf);
        this.settle(step);
      },
      (e: unknown) => {
        this.failure ??= e as Error;
        this.settle(step);
      },
    );
    this.work.add(step);
    if (this.position >= this.nextSync && !this.syncing) {
      this.nextSync = this.position + SYNC_EVERY;
      // Early writeback overlaps the disk with the network; the fsync in _final still covers all.
      const s: Promise<void> = this.fh.datasync().then(
        () => void (this.syncing = undefined),
        (e: unknown) => {
          this.failure ??= e as Error;
          this.syncing = undefined;
        },
      );
      this.syncing = s;
      this.work.add(s);
      void s.then(() => this.work.delete(s));
    }
  }

  /**
   * One write at a time per file, each taking every batch ready by then (one pwritev): concurrent
   * writes to one file only queue on its inode lock in the kernel, and spin there, burning the CPU
   * the MD5 worker and the event loop need (seen as ~1 s per GiB on each of 4 pool threads).
   */
  private enqueueWrite(view: Buffer, position: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ view, position, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.writing || this.queue.length === 0) return;
    const items = this.queue.splice(0, MAX_IN_FLIGHT);
    this.writing = true;
    writeAll(
      this.fh,
      items.map((i) => i.view),
      items[0]!.position,
    ).then(
      () => {
        this.writing = false;
        for (const i of items) i.resolve();
        this.pump();
      },
      (e: unknown) => {
        this.writing = false;
        for (const i of [...items, ...this.queue.splice(0)]) i.reject(e as Error);
      },
    );
  }

  private settle(step: Promise<void>): void {
    this.work.delete(step);
    this.inFlight--;
    const cb = this.blocked;
    if (cb && (this.failure || this.inFlight < MAX_IN_FLIGHT)) {
      this.blocked = undefined;
      cb(this.failure);
    }
  }

  private async drain(): Promise<void> {
    while (this.work.size > 0) await Promise.all([...this.work]);
  }

  override _final(callback: (e?: Error | null) => void): void {
    if (this.fill > 0) this.dispatch();
    this.drain()
      .then(async () => {
        if (this.failure) throw this.failure;
        const h = this.hash ?? createHash('md5');
        this.md5 = h instanceof WorkerMd5 ? await h.digest() : h.digest();
        // Durable before anyone renames it into place.
        await this.fh.sync();
        callback();
      })
      .catch((e: unknown) => callback(e as Error));
  }

  override _destroy(err: Error | null, callback: (e?: Error | null) => void): void {
    if (this.hash instanceof WorkerMd5 && !this.md5) this.hash.discard();
    if (this.batch && this.batch.buffer instanceof SharedArrayBuffer) giveBatch(this.batch);
    this.batch = undefined;
    // In-flight writes still use their batches and the file; let them finish before the caller closes it.
    this.drain().then(
      () => callback(err),
      () => callback(err),
    );
  }
}

/** Writes `views` back to back from `position` (pwritev), however many calls the kernel needs. */
async function writeAll(fh: FileHandle, views: Buffer[], position: number): Promise<void> {
  let rest = views;
  let at = position;
  while (rest.length > 0) {
    const { bytesWritten } = await fh.writev(rest, at);
    if (bytesWritten <= 0) throw new Error('the disk accepted no bytes');
    at += bytesWritten;
    let n = bytesWritten;
    const next: Buffer[] = [];
    for (const b of rest) {
      if (n >= b.length) n -= b.length;
      else {
        next.push(n > 0 ? b.subarray(n) : b);
        n = 0;
      }
    }
    rest = next;
  }
}
