import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import type { ExitInfo, OutputCursor, RunningInstance } from '../runner.js';
import type { ContainerHandle } from './container-handle.js';
import { exitInfoOf, type ContainerState } from './container-exit.js';
import { kernelLoggedOomKill } from './kernel-oom.js';
import type { LogFollower } from './log-follower.js';

export interface ContainerInstanceInit {
  readonly container: Docker.Container;
  readonly handle: ContainerHandle;
  readonly follower: LogFollower;
  /** How long kill() waits for the container to be gone after SIGKILL. */
  readonly exitTimeoutMs: number;
  /** Host pid of the container's PID 1, when known. */
  readonly pid?: number;
  /** Where to write why the init could not exec the command (ContainerInstanceSpec.startErrorFile). */
  readonly startErrorFile?: string;
  /** The command as the container runs it, for that message. */
  readonly commandLine?: string;
}

/** catatonit (Podman's init) and tini/docker-init, when the command cannot be executed. */
const INIT_EXEC_FAILURE = /ERROR \(catatonit:\d+\): failed to exec pid1: (.+)$|\[FATAL tini \(\d+\)\] exec .* failed: (.+)$/;

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;

/** A container of the container lane (see ContainerRunner). */
export class ContainerInstance implements RunningInstance {
  readonly id: string;
  readonly handle: ContainerHandle;
  readonly pid: number | undefined;
  private readonly abort = new AbortController();
  private readonly ended: Promise<void>;
  private result: Promise<ExitInfo> | undefined;

  constructor(private readonly init: ContainerInstanceInit) {
    this.id = init.handle.id;
    this.handle = init.handle;
    this.pid = init.pid;
    init.follower.start();
    this.ended = this.engineWait();
    // Collect at once when it ends: output drained, state read before anyone removes the container.
    void this.wait().catch(() => undefined);
  }

  wait(options: { signal?: AbortSignal } = {}): Promise<ExitInfo> {
    this.result ??= this.ended.then(() => this.collect());
    const signal = options.signal;
    if (!signal) return this.result;
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.result!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** docker stop: SIGTERM to PID 1 (the init forwards it to the command), SIGKILL after graceMs. */
  async stop(graceMs: number): Promise<ExitInfo> {
    if (!(await this.hasEnded())) {
      await this.signal('SIGTERM');
      if (!(await within(this.ended, graceMs))) return this.kill();
    }
    return this.wait();
  }

  async kill(): Promise<ExitInfo> {
    await this.signal('SIGKILL');
    if (!(await within(this.ended, this.init.exitTimeoutMs))) {
      throw new Error(`container ${this.handle.name} still running ${this.init.exitTimeoutMs} ms after SIGKILL (exitTimeoutMs)`);
    }
    return this.wait();
  }

  outputCursor(): OutputCursor {
    return { stdout: this.init.follower.stdout.offset, stderr: this.init.follower.stderr.offset };
  }

  detach(): void {
    this.abort.abort();
    this.init.follower.stop();
  }

  private hasEnded(): Promise<boolean> {
    return within(this.ended, 0);
  }

  private async signal(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    try {
      await this.init.container.kill({ signal });
    } catch (e) {
      // 404: removed; 409: not running (it ended meanwhile)
      if (statusOf(e) !== 404 && statusOf(e) !== 409 && statusOf(e) !== 500) throw e;
    }
  }

  /** POST /containers/{id}/wait; ends when the container is not running (or is gone). */
  private async engineWait(): Promise<void> {
    for (;;) {
      try {
        await this.init.container.wait({ abortSignal: this.abort.signal });
        return;
      } catch (e) {
        if (this.abort.signal.aborted) return new Promise(() => undefined); // detached: never
        if (statusOf(e) === 404) return;
        // The engine went away (a restart of Podman): look again shortly.
        await new Promise((r) => setTimeout(r, 500));
        const state = await this.state().catch(() => undefined);
        if (state === null || (state && !state.Running)) return;
      }
    }
  }

  /** The container's state, null when it no longer exists. */
  private async state(): Promise<ContainerState | null> {
    try {
      return ((await this.init.container.inspect()).State as ContainerState | undefined) ?? null;
    } catch (e) {
      if (statusOf(e) === 404) return null;
      throw e;
    }
  }

  private async collect(): Promise<ExitInfo> {
    await this.init.follower.finishAfterExit(1_000);
    const state = (await this.state().catch(() => null)) ?? undefined;
    const oomKilled = state?.OOMKilled === true || (!!state?.ExitCode && kernelLoggedOomKill(this.handle.containerId));
    const execFailure = state?.ExitCode ? INIT_EXEC_FAILURE.exec(this.init.follower.lastStderr ?? '') : null;
    if (execFailure && this.init.startErrorFile) {
      const why = `ClientError: the container could not run its command${this.init.commandLine ? ` (${this.init.commandLine})` : ''}: ${execFailure[1] ?? execFailure[2]}`;
      await writeFile(this.init.startErrorFile, why).catch(() => undefined);
    }
    return exitInfoOf(state, oomKilled, this.handle.startedAt);
  }
}

/** Resolves true if p settles within ms, false otherwise. */
export async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
