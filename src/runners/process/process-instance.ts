import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { InstanceCgroup } from '../../compute/cgroups/index.js';
import type { ExitInfo, OutputCursor, RunningInstance } from '../runner.js';
import { exitInfoOf } from './exit-info.js';
import { LineTailer } from './line-tailer.js';
import type { ProcessHandle } from './process-handle.js';
import { childPids, isSameProcess, signalProcess } from './proc-info.js';
import { readExitRecord, readSandboxPid, type RunDir } from './run-dir.js';
import { within } from './within.js';

export interface ProcessInstanceInit {
  readonly handle: ProcessHandle;
  readonly dir: RunDir;
  readonly group: InstanceCgroup;
  readonly stdout: LineTailer;
  readonly stderr: LineTailer;
  /** The supervisor when this Clary started it; absent after reattach (then its pid is polled). */
  readonly child?: ChildProcess;
  readonly pid: number | undefined;
  /** How long to wait for the instance to be gone after SIGKILL. */
  readonly exitTimeoutMs: number;
  readonly pollMs?: number;
}

/** A sandboxed instance of the process lane (see ProcessRunner). */
export class ProcessInstance implements RunningInstance {
  readonly id: string;
  readonly handle: ProcessHandle;
  readonly pid: number | undefined;
  private readonly ended: Promise<void>;
  private result: Promise<ExitInfo> | undefined;
  private detached = false;

  constructor(private readonly init: ProcessInstanceInit) {
    this.id = init.handle.id;
    this.handle = init.handle;
    this.pid = init.pid;
    init.stdout.start();
    init.stderr.start();
    this.ended = init.child ? this.childEnded(init.child) : this.polledEnd();
    // Collect at once when it ends: output is drained, the watchers let go, the record is read
    // before anyone can clean the run dir up.
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

  async stop(graceMs: number): Promise<ExitInfo> {
    if (!(await this.hasEnded())) {
      const main = await mainPid(this.init.dir);
      if (main !== undefined) signalProcess(main, 'SIGTERM');
      if (!(await within(this.ended, graceMs))) return this.kill();
    }
    return this.wait();
  }

  async kill(): Promise<ExitInfo> {
    await this.init.group.kill();
    if (!(await within(this.ended, this.init.exitTimeoutMs))) {
      throw new Error(`instance ${this.id} still running ${this.init.exitTimeoutMs} ms after SIGKILL (exitTimeoutMs)`);
    }
    return this.wait();
  }

  outputCursor(): OutputCursor {
    return { stdout: this.init.stdout.offset, stderr: this.init.stderr.offset };
  }

  detach(): void {
    this.detached = true;
    void this.init.stdout.stop();
    void this.init.stderr.stop();
  }

  private async hasEnded(): Promise<boolean> {
    return within(this.ended, 0);
  }

  private childEnded(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** A reattached supervisor is not our child: poll for its exit record or its disappearance. */
  private async polledEnd(): Promise<void> {
    const { supervisorPid, supervisorStartTicks } = this.handle;
    for (;;) {
      if (this.detached) return new Promise(() => undefined);
      if ((await readExitRecord(this.init.dir)) !== undefined) return;
      if (!(await isSameProcess(supervisorPid, supervisorStartTicks))) return;
      await sleep(this.init.pollMs ?? 100);
    }
  }

  private async collect(): Promise<ExitInfo> {
    const record = await readExitRecord(this.init.dir);
    await Promise.all([this.init.stdout.drain(true), this.init.stderr.drain(true)]);
    await Promise.all([this.init.stdout.stop(), this.init.stderr.stop()]);
    const oomKilled = await this.init.group.oomKilled().catch(() => false);
    return exitInfoOf(record, oomKilled, this.handle.startedAt);
  }
}

/** Host pid of the instance's main process: the only child of the sandbox's PID 1 (bwrap's reaper). */
export async function mainPid(dir: RunDir): Promise<number | undefined> {
  const init = await readSandboxPid(dir);
  return init === undefined ? undefined : (await childPids(init))[0];
}
