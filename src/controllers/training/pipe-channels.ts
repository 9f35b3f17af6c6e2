import { execFile } from 'node:child_process';
import { constants, close, fstat, open, type Stats } from 'node:fs';
import { readlink, realpath, unlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Channel as ChannelDoc } from '../../generated/types/sagemaker.js';
import type { ObjectStore } from '../../objects/object-store.js';
import { ChannelError, type ObjectRef } from './channels.js';
import { confinedTo } from './confined-path.js';
import { recordIOSplits, wrapRecordIO } from './recordio.js';

/**
 * Pipe input mode, as SageMaker gives it: /opt/ml/input/data/<channel>_<epoch> is a FIFO per
 * epoch. Clary writes the channel's objects (key order; the host's shard; a manifest's entries)
 * into `<channel>_0` from the host side and closes it (EOF); `<channel>_1` already exists by then,
 * and is written once the algorithm opens it, and so on for as many epochs as it reads.
 *
 * Nothing blocks: the FIFO is opened O_WRONLY|O_NONBLOCK, which fails (ENXIO) until a reader has
 * it open, so Clary polls for the reader with no thread or fd held, then writes through a libuv
 * pipe handle (epoll, backpressure). A job that never opens the FIFO holds nothing; stop() ends
 * the writer when the instance does.
 */
const openFd = promisify(open);
const fstatFd = promisify(fstat) as (fd: number) => Promise<Stats>;
const run = promisify(execFile);
/** How often a FIFO nobody reads yet is tried again (one failing open(2)). */
export const PIPE_READER_POLL_MS = 50;

export const pipeName = (channel: string, epoch: number): string => `${channel}_${epoch}`;

/** Makes the FIFO (mode 0644) unless something is already there. Node has no mkfifo(3): coreutils' mkfifo(1). */
export async function makeFifo(path: string): Promise<void> {
  await run('mkfifo', ['-m', '0644', path]).catch((e: NodeJS.ErrnoException & { stderr?: string }) => {
    if (!/File exists/.test(e.stderr ?? '')) throw new Error(`mkfifo ${path}: ${e.stderr?.trim() || e.message}`);
  });
}

export interface PipeEpoch {
  readonly channel: string;
  readonly epoch: number;
  readonly bytes: number;
  /** The reader closed its end before EOF (it read only part of the epoch). */
  readonly readerLeft: boolean;
}

/** One Pipe channel of one instance: its FIFOs in `dir` (the host side of /opt/ml/input/data). */
export class PipeChannelWriter {
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private socket: Socket | undefined;
  readonly epochs: PipeEpoch[] = [];
  /** Rejects when stop() is called: every wait of the writer races it. */
  private readonly stopped = new Promise<never>((_, reject) => this.abort.signal.addEventListener('abort', () => reject(new Error('stopped')), { once: true }));

  constructor(
    private readonly objects: ObjectStore,
    private readonly channel: ChannelDoc,
    private readonly refs: readonly ObjectRef[],
    private readonly dir: string,
    /** The job's tree on the host: no FIFO is made or opened through a link out of it. */
    private readonly jobRoot: string,
    private readonly onEpoch: (e: PipeEpoch) => void = () => undefined,
    private readonly onError: (e: unknown) => void = () => undefined,
  ) {
    this.stopped.catch(() => undefined);
  }

  get channelName(): string {
    return this.channel.ChannelName;
  }

  /** Before the instance starts: `<channel>_0`. */
  async prepare(): Promise<void> {
    if (!(await confinedTo(this.jobRoot, this.dir))) throw new ChannelError(`Channel ${this.channel.ChannelName}: the input directory is not in the job's tree.`);
    await makeFifo(join(this.dir, pipeName(this.channel.ChannelName, 0)));
  }

  /** Serves epochs from `first` (a reattached run continues at the newest FIFO) until stop(). */
  start(first = 0): void {
    this.loop ??= this.serve(first).catch((e) => {
      if (!this.abort.signal.aborted) this.onError(e);
    });
  }

  /** The instance has ended: no more epochs; a write in progress is cut off, the fd closed. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.socket?.destroy();
    await this.loop;
  }

  private async serve(first: number): Promise<void> {
    const name = this.channel.ChannelName;
    for (let epoch = first; !this.abort.signal.aborted; epoch++) {
      const path = join(this.dir, pipeName(name, epoch));
      const fd = await this.openForWriting(path);
      if (fd === undefined) return;
      const socket = new Socket({ fd, readable: false, writable: true });
      this.socket = socket;
      // Any error ends the epoch; more than one (EPIPE, then another write) must not go unhandled.
      let rejectFailed: (e: Error) => void = () => undefined;
      const failed = new Promise<never>((_, reject) => (rejectFailed = reject));
      failed.catch(() => undefined);
      socket.on('error', (e) => rejectFailed(e));
      const stopped = this.stopped;
      let bytes = 0;
      let readerLeft = false;
      try {
        for (const ref of this.refs) {
          // RecordWrapperType RecordIO: one record per object; a first read finds where dmlc splits it.
          const split = this.channel.RecordWrapperType === 'RecordIO' ? await this.read(ref, (body) => recordIOSplits(body)) : undefined;
          await this.read(ref, async (body) => {
            for await (const chunk of split ? wrapRecordIO(body, split) : body) {
              if (this.abort.signal.aborted) throw new Error('stopped');
              bytes += chunk.length;
              if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), failed, stopped]);
            }
          });
        }
      } catch (e) {
        if (this.abort.signal.aborted) {
          socket.destroy();
          return;
        }
        if ((e as NodeJS.ErrnoException).code !== 'EPIPE') {
          socket.destroy();
          throw e;
        }
        readerLeft = true;
      }
      // The next epoch's FIFO exists before this one reaches EOF: a reader moving on never finds it missing.
      if (await confinedTo(this.jobRoot, this.dir)) await makeFifo(join(this.dir, pipeName(name, epoch + 1)));
      await new Promise<void>((resolve) => {
        // A write error (EPIPE) has closed it already.
        if (socket.closed) return resolve();
        socket.once('close', () => resolve());
        if (readerLeft) socket.destroy();
        else socket.end();
      });
      this.socket = undefined;
      // The consumed epoch goes: only the current and the next FIFO are there to open.
      await unlink(path).catch(() => undefined);
      this.epochs.push({ channel: name, epoch, bytes, readerLeft });
      this.onEpoch({ channel: name, epoch, bytes, readerLeft });
    }
  }

  /** One object's bytes as the algorithm reads them (CompressionType Gzip, a Pipe-mode setting: decompressed). */
  private async read<T>(ref: ObjectRef, use: (body: AsyncIterable<Buffer>) => Promise<T>): Promise<T> {
    const got = await Promise.race([this.objects.getObject(ref.bucket, ref.key), this.stopped]);
    const body: Readable = this.channel.CompressionType === 'Gzip' ? got.body.pipe(createGunzip()) : got.body;
    if (body !== got.body) got.body.on('error', (e) => body.destroy(e));
    try {
      return await use(body as AsyncIterable<Buffer> & Readable);
    } finally {
      got.body.destroy();
      body.destroy();
    }
  }

  /** The FIFO opened for writing once a reader has it open; undefined when stopped first or when it is not a FIFO in the job's tree. */
  private async openForWriting(path: string): Promise<number | undefined> {
    // Where the FIFO really is: checked on the opened fd, so a directory swapped for a link in between does not count.
    const expected = await realpath(this.jobRoot).then((root) => join(root, relative(this.jobRoot, path))).catch(() => undefined);
    while (!this.abort.signal.aborted && expected) {
      let fd: number;
      try {
        fd = await openFd(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // ENXIO: no reader yet. ENOENT: the job removed it; it may make it again, or never read.
        if (code !== 'ENXIO' && code !== 'ENOENT') return undefined;
        await new Promise((r) => setTimeout(r, PIPE_READER_POLL_MS));
        continue;
      }
      const st = await fstatFd(fd).catch(() => undefined);
      const opened = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
      if (!st?.isFIFO() || opened !== expected || this.abort.signal.aborted) {
        close(fd, () => undefined);
        return undefined;
      }
      return fd;
    }
    return undefined;
  }
}
