import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CgroupBackend, CgroupLimits, CgroupUsage } from './cgroup-backend.js';
import { readPids, removeGroupDir, writeValue } from './cgroup-files.js';
import { detectCgroupLayout, type CgroupLayout } from './cgroup-layout.js';
import { checkGroupPath, DEFAULT_PARENT } from './group-name.js';
import { V1Backend } from './v1-backend.js';
import { V2Backend } from './v2-backend.js';

export interface InstanceCgroupOptions {
  /** Directory under each controller that holds Clary's groups (default "clary"). */
  readonly parent?: string;
  /** Detected once at start-up and passed down; detected here when absent. */
  readonly layout?: CgroupLayout;
  /** Shell for the joining wrapper (default /bin/sh). */
  readonly shell?: string;
}

export interface InstanceCgroupSpec extends CgroupLimits, InstanceCgroupOptions {
  readonly name: string;
}

/** Thrown when the machine has no cgroup hierarchy with a memory controller. */
export class CgroupUnavailableError extends Error {
  override readonly name = 'CgroupUnavailableError';
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One instance's cgroup: every process of the instance runs inside it, limited to the instance
 * type's vCPUs (CFS quota) and memory (hard limit, swap included; going over is a SIGKILL).
 */
export class InstanceCgroup {
  /** Path relative to each controller mount, e.g. "clary/train-abc-1". */
  readonly path: string;

  constructor(
    readonly name: string,
    parent: string,
    readonly layout: CgroupLayout,
    private readonly backend: CgroupBackend,
    private readonly shell = '/bin/sh',
  ) {
    this.path = `${parent}/${name}`;
  }

  /** The directories of the group, one per mounted hierarchy. */
  get dirs(): readonly string[] {
    return this.backend.dirs;
  }

  /** Moves a running process (all its threads) into the group. */
  async add(pid: number): Promise<void> {
    for (const dir of this.backend.dirs) await writeValue(`${dir}/cgroup.procs`, pid);
  }

  /**
   * The command line that runs command inside the group: a shell writes its own pid to each
   * cgroup.procs and then execs the command, so not one instruction of it runs outside. When the
   * group cannot be joined the shell exits 125 without running the command.
   */
  wrap(command: string, args: readonly string[] = []): { command: string; args: string[] } {
    const joins = this.backend.dirs.map((d) => `echo $$ > ${quote(`${d}/cgroup.procs`)}`).join(' && ');
    const script = `{ ${joins}; } 2>/dev/null || { echo ${quote(`clary: cannot enter cgroup ${this.path}`)} >&2; exit 125; }; exec "$@"`;
    return { command: this.shell, args: ['-c', script, 'clary-cgroup', command, ...args] };
  }

  /** Spawns command already inside the group (see wrap). */
  spawn(command: string, args: readonly string[] = [], options: SpawnOptions = {}): ChildProcess {
    const w = this.wrap(command, args);
    return spawn(w.command, w.args, options);
  }

  /** Pids of every process in the group now. */
  async pids(): Promise<number[]> {
    const all = new Set<number>();
    for (const dir of this.backend.dirs) for (const pid of await readPids(dir)) all.add(pid);
    return [...all];
  }

  /** How many times the kernel's OOM killer killed a process of this group. */
  oomKillCount(): Promise<number> {
    return this.backend.oomKills();
  }

  /** True once the memory limit made the kernel kill a process of this group. */
  async oomKilled(): Promise<boolean> {
    return (await this.backend.oomKills()) > 0;
  }

  usage(): Promise<CgroupUsage> {
    return this.backend.usage();
  }

  /**
   * SIGKILLs every process in the group, sweeping again while new pids show up (a process may be
   * forking as it is killed). Does not wait for them to be gone; destroy() does.
   */
  async kill(): Promise<void> {
    if (await this.backend.killAtOnce()) return;
    const signalled = new Set<number>();
    for (let sweep = 0; sweep < 100; sweep++) {
      const fresh = (await this.pids()).filter((p) => !signalled.has(p));
      if (fresh.length === 0) return;
      for (const pid of fresh) {
        signalled.add(pid);
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }

  /**
   * Kills everything in the group, waits until it is empty and removes its directories. Safe to
   * call again, and on a group that is already gone. Throws after timeoutMs if the group will not
   * empty (e.g. a process stuck in uninterruptible sleep).
   */
  async destroy(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.kill();
      let removed = true;
      for (const dir of this.backend.dirs) if (!(await removeGroupDir(dir))) removed = false;
      if (removed) return;
      if (Date.now() > deadline) {
        throw new Error(`cgroup ${this.path} still busy after ${timeoutMs} ms: pids ${(await this.pids()).join(', ') || 'none'}`);
      }
      await sleep(20);
    }
  }
}

function backendFor(layout: CgroupLayout, relPath: string): CgroupBackend {
  return layout.kind === 'v1' ? new V1Backend(layout, relPath) : new V2Backend(layout.root, relPath);
}

async function resolveLayout(layout: CgroupLayout | undefined): Promise<CgroupLayout> {
  const found = layout ?? (await detectCgroupLayout());
  if (!found) throw new CgroupUnavailableError('no cgroup v1 memory controller and no cgroup v2 hierarchy with memory: instance limits cannot be enforced');
  return found;
}

/**
 * Opens the group without touching its limits: for a group that already exists (reattaching
 * after a restart) or one to destroy.
 */
export async function openInstanceCgroup(name: string, options: InstanceCgroupOptions = {}): Promise<InstanceCgroup> {
  const parent = checkGroupPath(options.parent ?? DEFAULT_PARENT, 'parent', true);
  checkGroupPath(name, 'name');
  const layout = await resolveLayout(options.layout);
  return new InstanceCgroup(name, parent, layout, backendFor(layout, `${parent}/${name}`), options.shell);
}

/**
 * Creates clary/<name> in the memory, cpu(acct) and pids controllers (or the v2 unified tree) with
 * the given limits. Idempotent: an existing group keeps its processes and gets the limits again.
 */
export async function createInstanceCgroup(spec: InstanceCgroupSpec): Promise<InstanceCgroup> {
  if (!(spec.vcpus > 0) || !Number.isFinite(spec.vcpus)) throw new Error(`vcpus must be a positive number, got ${spec.vcpus}`);
  if (!Number.isSafeInteger(spec.memoryBytes) || spec.memoryBytes < 4096 * 1024) {
    throw new Error(`memoryBytes must be a whole number of at least 4 MiB, got ${spec.memoryBytes}`);
  }
  if (spec.pidsMax !== undefined && (!Number.isSafeInteger(spec.pidsMax) || spec.pidsMax < 1)) {
    throw new Error(`pidsMax must be a positive whole number, got ${spec.pidsMax}`);
  }
  const group = await openInstanceCgroup(spec.name, spec);
  await backendFor(group.layout, group.path).create(spec);
  return group;
}
