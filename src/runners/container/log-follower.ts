import type Docker from 'dockerode';
import type { LineSink, OutputCursor } from '../runner.js';
import { FrameDemuxer } from './frame-demuxer.js';
import { LineSplitter } from './line-splitter.js';

/**
 * Follows a container's output through the Docker API (`GET /containers/{id}/logs?follow=1`):
 * the engine keeps the whole log while the container exists, so a reader that comes back after a
 * restart replays it from the start and skips the bytes it had already delivered (the cursor is
 * bytes per stream, as in the process lane). `done` resolves when the engine ends the stream
 * (the container has stopped) or stop() is called.
 */
export class LogFollower {
  readonly stdout: LineSplitter;
  readonly stderr: LineSplitter;
  readonly done: Promise<void>;
  private stream: NodeJS.ReadableStream & { destroy?: () => void } | undefined;
  private finish!: () => void;
  private stopped = false;
  /** The last stderr line delivered (an init's "cannot exec" message is read from it). */
  lastStderr: string | undefined;
  private readonly active: boolean;

  constructor(
    private readonly container: Docker.Container,
    onStdout: LineSink | undefined,
    onStderr: LineSink | undefined,
    private readonly from: OutputCursor = { stdout: 0, stderr: 0 },
  ) {
    this.stdout = new LineSplitter('stdout', onStdout, from.stdout);
    this.stderr = new LineSplitter('stderr', onStderr && ((line) => {
      this.lastStderr = line.text;
      onStderr(line);
    }), from.stderr);
    this.done = new Promise((resolve) => (this.finish = resolve));
    this.active = onStdout !== undefined || onStderr !== undefined;
    if (!this.active) this.finish();
  }

  start(): void {
    if (this.stopped || !this.active) return;
    const demux = new FrameDemuxer((stream, chunk) => (stream === 'stdout' ? this.stdout : this.stderr).push(chunk), this.from);
    this.container.logs({ follow: true, stdout: true, stderr: true }).then(
      (stream) => {
        const s = stream as NodeJS.ReadableStream & { destroy?: () => void };
        this.stream = s;
        if (this.stopped) s.destroy?.();
        s.on('data', (d: Buffer) => demux.push(d));
        s.on('end', () => this.end());
        s.on('close', () => this.end());
        s.on('error', () => this.end());
      },
      () => this.end(),
    );
  }

  /**
   * The container has ended: waits up to graceMs for the engine to end the stream; if it does not
   * (Podman's follow can miss the end of a container that exits quickly), reads the finished log
   * once more from where delivery got to, so no line is lost.
   */
  async finishAfterExit(graceMs: number): Promise<void> {
    if (!this.active || this.stopped) return this.done;
    const ended = await Promise.race([this.done.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), graceMs).unref())]);
    if (ended) return;
    this.stopped = true;
    this.stream?.destroy?.();
    this.stdout.dropPartial();
    this.stderr.dropPartial();
    try {
      const all = (await this.container.logs({ follow: false, stdout: true, stderr: true })) as unknown as Buffer;
      new FrameDemuxer((stream, chunk) => (stream === 'stdout' ? this.stdout : this.stderr).push(chunk), { stdout: this.stdout.offset, stderr: this.stderr.offset }).push(all);
    } catch {
      // removed meanwhile: what was delivered is all there is
    }
    this.stdout.end();
    this.stderr.end();
    this.finish();
  }

  /** Stops following (detach, or the instance ended and the stream will not end by itself). */
  stop(): void {
    this.stopped = true;
    this.stream?.destroy?.();
    this.finish();
  }

  private end(): void {
    if (!this.stopped) {
      this.stdout.end();
      this.stderr.end();
    }
    this.stopped = true;
    this.finish();
  }
}
