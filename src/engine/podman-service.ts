import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { waitForPing } from './ping.js';
import { writePodmanConf } from './podman-conf.js';

export interface PodmanServiceOptions {
  /** podman executable (default: `podman` on PATH). */
  readonly podmanPath?: string;
  /** unix socket to serve the Docker Engine API on, e.g. <dataDir>/podman.sock. */
  readonly socketPath: string;
  /** containers.conf Clary writes (e.g. <dataDir>/containers.conf). */
  readonly confPath: string;
  /** Remembers the service's pid, so a Clary that died without stopping it can end it next time. */
  readonly pidFile: string;
  /** The service's own output (appended). */
  readonly logFile: string;
  /** catatonit (or tini) for HostConfig.Init. */
  readonly initPath?: string;
  /** How long to wait for /_ping (default 30 s). */
  readonly startTimeoutMs?: number;
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * `podman --runtime runc system service --time=0 unix://<socket>` as Clary's child: started on
 * first use of the container lane, stopped when Clary closes. Containers do not depend on it
 * (each has its own conmon), so stopping it — or Clary dying — leaves them running for reattach.
 */
export class PodmanService {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitNote: string | undefined;

  constructor(private readonly options: PodmanServiceOptions) {}

  get socketPath(): string {
    return this.options.socketPath;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const o = this.options;
    await this.endStale();
    await rm(o.socketPath, { force: true });
    await writePodmanConf(o.confPath, { initPath: o.initPath });
    const log = openSync(o.logFile, 'a', 0o600);
    let child: ChildProcess;
    try {
      child = spawn(o.podmanPath ?? 'podman', ['--runtime', 'runc', 'system', 'service', '--time=0', `unix://${o.socketPath}`], {
        // Its own process group: a Ctrl-C meant for Clary must not reach it before Clary stops it.
        detached: true,
        stdio: ['ignore', log, log],
        env: { PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', ...o.env, CONTAINERS_CONF: o.confPath },
      });
    } finally {
      closeSync(log);
    }
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
      this.exitNote = `podman system service exited (${signal ?? `code ${code}`}); see ${o.logFile}`;
      resolve();
    }));
    child.once('error', (e) => (this.exitNote = `cannot run ${o.podmanPath ?? 'podman'}: ${e.message}`));
    try {
      await waitForPing(o.socketPath, o.startTimeoutMs ?? 30_000, () => this.exitNote);
      await writeFile(o.pidFile, `${child.pid}\n`);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  /** SIGTERM, then SIGKILL after timeoutMs; removes the socket and the pid file. */
  async stop(timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null && !this.exitNote) {
      child.kill('SIGTERM');
      const done = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
      if (!done) {
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    await rm(this.options.socketPath, { force: true });
    await rm(this.options.pidFile, { force: true });
  }

  /** A service left by a Clary that died: end it if the pid file names a podman serving our socket. */
  private async endStale(): Promise<void> {
    const pid = Number((await readFile(this.options.pidFile, 'utf8').catch(() => '')).trim());
    if (!Number.isInteger(pid) || pid <= 1) return;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!cmdline.includes('service') || !cmdline.includes(`unix://${this.options.socketPath}`)) return;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 200; i++) {
      if (!(await readFile(`/proc/${pid}/cmdline`).then(() => true, () => false))) return;
      await sleep(50);
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
