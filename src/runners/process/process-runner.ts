import { openSync, closeSync } from 'node:fs';
import { access, chmod, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInstanceCgroup, openInstanceCgroup, type CgroupLayout, type InstanceCgroup } from '../../compute/cgroups/index.js';
import type { NetworkAttachment } from '../network/attachment.js';
import { NSENTER_PATH } from '../network/open-networks.js';
import { PrivateNetworks } from '../network/private-networks.js';
import type { InstanceHandle, InstanceSpec, PrivateNetworkLease, ReattachOptions, Runner, RunningInstance } from '../runner.js';
import { InstanceSpecError, InstanceStartError } from '../runner-errors.js';
import { DEFAULT_HIDDEN_PATHS } from './default-hidden.js';
import { LineTailer } from './line-tailer.js';
import { asProcessHandle, checkInstanceId, type ProcessHandle } from './process-handle.js';
import { mainPid, ProcessInstance } from './process-instance.js';
import { isSameProcess, processStartTicks, signalProcess } from './proc-info.js';
import { readExitRecord, runDirFor, type RunDir } from './run-dir.js';
import { DEFAULT_PATH, hostnameOf, hostsFileText, sandboxArgs } from './sandbox-args.js';
import { spawnSupervisor } from './supervisor.js';

export interface ProcessRunnerOptions {
  /** Where run dirs live (e.g. <dataDir>/runs). Hidden from every instance. */
  readonly runRoot: string;
  /** Extra host paths to hide (Clary's data dir, credentials …), on top of DEFAULT_HIDDEN_PATHS. */
  readonly hiddenPaths?: readonly string[];
  /** Replace DEFAULT_HIDDEN_PATHS instead of adding to them. */
  readonly replaceDefaultHidden?: boolean;
  readonly bwrapPath?: string;
  readonly shell?: string;
  /** cgroup parent (default "clary") and detected layout. */
  readonly cgroupParent?: string;
  readonly cgroupLayout?: CgroupLayout;
  /** Prefix of each instance's cgroup name (default "run-"), for cleanupStale. */
  readonly groupPrefix?: string;
  /** How long start() waits for the sandbox to come up (default 10 s). */
  readonly startTimeoutMs?: number;
  /** How long kill/stop/cleanup wait for an instance to be gone after SIGKILL (default 10 s). */
  readonly exitTimeoutMs?: number;
  /** Private networks (network mode private); without them that mode is refused and reservePrivateNetwork gives undefined. */
  readonly networks?: PrivateNetworks;
  readonly nsenterPath?: string;
}

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/**
 * The process lane: every instance runs in its own bubblewrap sandbox (mount, PID, IPC, UTS and,
 * for network mode none, network namespaces; for mode private, inside the namespace its private
 * network gave it) inside its own cgroup, under a detached supervisor that outlives Clary.
 * See docs/runners.md and docs/networking.md.
 */
export class ProcessRunner implements Runner {
  readonly kind = 'process';
  private readonly bwrap: string;
  private readonly shell: string;
  private readonly hidden: readonly string[];
  private readonly startTimeoutMs: number;
  private readonly exitTimeoutMs: number;

  constructor(private readonly options: ProcessRunnerOptions) {
    this.bwrap = options.bwrapPath ?? '/usr/bin/bwrap';
    this.shell = options.shell ?? '/bin/sh';
    this.hidden = [...(options.replaceDefaultHidden ? [] : DEFAULT_HIDDEN_PATHS), ...(options.hiddenPaths ?? []), options.runRoot];
    this.startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.exitTimeoutMs = options.exitTimeoutMs ?? 10_000;
  }

  async start(spec: InstanceSpec): Promise<RunningInstance> {
    checkInstanceId(spec.id);
    if (!HOSTNAME.test(hostnameOf(spec))) throw new InstanceSpecError(`invalid hostname "${hostnameOf(spec)}"`);
    spec.signal?.throwIfAborted();
    const dir = runDirFor(this.options.runRoot, spec.id);
    const args = sandboxArgs({ spec, paths: { tmpDir: dir.tmp, hostsFile: dir.hosts, emptyFile: dir.empty }, hidden: this.hidden, infoFd: 3 });
    hostsFileText(spec); // validates extraHosts before anything is created
    const networks = spec.network.mode === 'private' ? this.privateNetworks(spec) : undefined;
    await access(this.bwrap, constants.X_OK).catch(() => {
      throw new InstanceStartError(`bubblewrap not found at ${this.bwrap}: install it (apt-get install bubblewrap)`);
    });
    if (await stat(dir.root).then(() => true, () => false)) {
      throw new InstanceSpecError(`instance ${spec.id} already exists (run dir ${dir.root}); clean it up first`);
    }
    await mkdir(dir.tmp, { recursive: true, mode: 0o700 });
    let group: InstanceCgroup | undefined;
    let attachment: NetworkAttachment | undefined;
    try {
      await chmod(dir.tmp, 0o1777);
      if (networks) attachment = await networks.attach(spec.network.network!, spec.network.address);
      await writeFile(dir.hosts, hostsFileText(spec, attachment?.address), { mode: 0o644 });
      await writeFile(dir.empty, '', { mode: 0o444 });
      group = await createInstanceCgroup({
        name: this.groupName(spec.id),
        vcpus: spec.limits.vcpus,
        memoryBytes: spec.limits.memoryBytes,
        pidsMax: spec.limits.pidsMax,
        parent: this.options.cgroupParent,
        layout: this.options.cgroupLayout,
        shell: this.shell,
      });
      spec.signal?.throwIfAborted();
      return await this.launch(spec, dir, group, args, attachment);
    } catch (e) {
      await group?.destroy(this.exitTimeoutMs).catch(() => undefined);
      if (attachment) await networks!.detach(attachment).catch(() => undefined);
      await rm(dir.root, { recursive: true, force: true, maxRetries: 5 });
      throw e;
    }
  }

  private async launch(spec: InstanceSpec, dir: RunDir, group: InstanceCgroup, args: string[], network: NetworkAttachment | undefined): Promise<ProcessInstance> {
    // In its private network's namespace: nsenter only joins it (no fork), then execs bwrap.
    const wrapped = network ? group.wrap(this.options.nsenterPath ?? NSENTER_PATH, [`--net=${network.netnsPath}`, '--', this.bwrap, ...args]) : group.wrap(this.bwrap, args);
    const outFd = openSync(dir.stdout, 'a', 0o600);
    const errFd = openSync(dir.stderr, 'a', 0o600);
    const startedAt = Date.now();
    let child;
    try {
      child = spawnSupervisor({ shell: this.shell, dir, command: wrapped.command, args: wrapped.args, stdoutFd: outFd, stderrFd: errFd, env: { PATH: DEFAULT_PATH } });
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const spawned = await new Promise<number>((resolve, reject) => {
      child.once('spawn', () => resolve(child.pid!));
      child.once('error', (e) => reject(new InstanceStartError(`cannot start the supervisor of ${spec.id}: ${e.message}`)));
    });
    const ticks = await processStartTicks(spawned);
    const handle: ProcessHandle = { runner: 'process', version: 1, id: spec.id, startedAt, group: group.name, supervisorPid: spawned, supervisorStartTicks: ticks ?? '', ...(network ? { network } : {}) };
    await writeFile(dir.handle, JSON.stringify(handle) + '\n');
    const pid = await this.waitForSandbox(spec, dir, exited);
    return new ProcessInstance({
      handle,
      dir,
      group,
      child,
      pid,
      exitTimeoutMs: this.exitTimeoutMs,
      stdout: new LineTailer(dir.stdout, 'stdout', spec.onStdout),
      stderr: new LineTailer(dir.stderr, 'stderr', spec.onStderr),
    });
  }

  /** Waits until bwrap has forked the main process (its pid), or the sandbox has already ended. */
  private async waitForSandbox(spec: InstanceSpec, dir: RunDir, exited: Promise<void>): Promise<number | undefined> {
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + this.startTimeoutMs;
    for (let delay = 1; ; delay = Math.min(delay * 2, 20)) {
      if (spec.signal?.aborted) throw spec.signal.reason;
      const pid = await mainPid(dir);
      if (pid !== undefined || gone) return pid;
      if (Date.now() > deadline) {
        throw new InstanceStartError(`sandbox of ${spec.id} did not start within ${this.startTimeoutMs} ms (startTimeoutMs)`);
      }
      await sleep(delay);
    }
  }

  async reattach(handle: InstanceHandle, options: ReattachOptions = {}): Promise<RunningInstance | undefined> {
    const h = asProcessHandle(handle);
    const dir = runDirFor(this.options.runRoot, h.id);
    const ended = (await readExitRecord(dir)) !== undefined;
    if (!ended && !(h.supervisorStartTicks && (await isSameProcess(h.supervisorPid, h.supervisorStartTicks)))) return undefined;
    const group = await openInstanceCgroup(h.group, { parent: this.options.cgroupParent, layout: this.options.cgroupLayout, shell: this.shell });
    const from = options.outputFrom ?? { stdout: 0, stderr: 0 };
    return new ProcessInstance({
      handle: h,
      dir,
      group,
      pid: ended ? undefined : await mainPid(dir),
      exitTimeoutMs: this.exitTimeoutMs,
      stdout: new LineTailer(dir.stdout, 'stdout', options.onStdout, from.stdout),
      stderr: new LineTailer(dir.stderr, 'stderr', options.onStderr, from.stderr),
    });
  }

  async cleanup(handle: InstanceHandle): Promise<void> {
    const h = asProcessHandle(handle);
    const group = await openInstanceCgroup(h.group, { parent: this.options.cgroupParent, layout: this.options.cgroupLayout, shell: this.shell });
    await group.destroy(this.exitTimeoutMs);
    const dir = runDirFor(this.options.runRoot, h.id);
    // The supervisor records the exit in the run dir just after the sandbox dies: let it finish.
    const deadline = Date.now() + this.exitTimeoutMs;
    while (h.supervisorStartTicks && (await isSameProcess(h.supervisorPid, h.supervisorStartTicks))) {
      if (Date.now() > deadline + this.exitTimeoutMs) throw new Error(`supervisor of ${h.id} (pid ${h.supervisorPid}) will not exit`);
      if (Date.now() > deadline) signalProcess(h.supervisorPid, 'SIGKILL');
      await sleep(10);
    }
    if (h.network) await (this.options.networks ?? this.detacher()).detach(h.network);
    await rm(dir.root, { recursive: true, force: true, maxRetries: 5 });
  }

  async reservePrivateNetwork(network: string, hosts: readonly string[]): Promise<PrivateNetworkLease | undefined> {
    if (!this.options.networks) return undefined;
    return { network, addresses: await this.options.networks.reserve(network, hosts) };
  }

  private privateNetworks(spec: InstanceSpec): PrivateNetworks {
    if (!this.options.networks) throw new InstanceSpecError(`network mode private is not available on this machine (see Clary's start-up log); instance ${spec.id}`);
    if (!spec.network.network || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(spec.network.network)) {
      throw new InstanceSpecError(`network mode private needs a network name (letters, digits, ".", "_", "-"), got "${String(spec.network.network)}"`);
    }
    return this.options.networks;
  }

  /** Removes a recorded attachment when this runner was made without networks (turned off since). */
  private detacher(): PrivateNetworks {
    return new PrivateNetworks({ owner: this.options.runRoot });
  }

  private groupName(id: string): string {
    return `${this.options.groupPrefix ?? 'run-'}${id}`;
  }
}
