/**
 * The one interface every compute lane implements: the process lane (a bubblewrap sandbox per
 * instance, here), the container lane (Docker Engine API) and a cluster lane later. Controllers
 * only ever talk to a Runner, and persist the JSON `handle` of each instance in the store so that
 * after a restart they can `reattach` to what still runs, learn how it ended, or fail it honestly.
 */

/** One line of an instance's output. `text` has no trailing newline. */
export interface OutputLine {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
  /** Epoch milliseconds when Clary read the line (lines written while Clary was down get the time they were read). */
  readonly timestamp: number;
}

export type LineSink = (line: OutputLine) => void;

/** Where output reading has got to, in bytes per stream: persist it to resume without duplicates. */
export interface OutputCursor {
  readonly stdout: number;
  readonly stderr: number;
}

export interface MountSpec {
  /** Absolute path on this machine (must exist). */
  readonly hostPath: string;
  /** Absolute path inside the instance, e.g. /opt/ml or /opt/ml/input/data/train. */
  readonly sandboxPath: string;
  readonly readOnly: boolean;
}

export interface InstanceLimits {
  /** The instance type's vCPUs (CPU time quota; fractions allowed). */
  readonly vcpus: number;
  /** Hard memory limit, swap included: going over kills (reported as oomKilled). */
  readonly memoryBytes: number;
  readonly pidsMax?: number;
}

/**
 * `none`: own network namespace with loopback only (SageMaker's EnableNetworkIsolation).
 * `host`: the machine's network, as Clary itself sees it.
 * `private`: own network namespace on a private network shared by every instance with the same
 * `network` (a job's hosts), reaching those instances and Clary (at the address
 * `instanceEndpoint()` of src/runners/network gives), nothing else. docs/networking.md.
 */
export type NetworkMode = 'none' | 'host' | 'private';

export interface NetworkSpec {
  readonly mode: NetworkMode;
  /** private: the network's name (e.g. the training job's name); instances with the same name share it. */
  readonly network?: string;
  /** private: the instance's address, one that Runner.reservePrivateNetwork gave (default: a free one). */
  readonly address?: string;
}

/** Addresses reserved on a private network before its instances start (so each can be told the others'). */
export interface PrivateNetworkLease {
  readonly network: string;
  /** Host name → IPv4 address, for `extraHosts` and `network.address`. */
  readonly addresses: Readonly<Record<string, string>>;
}

export interface InstanceSpec {
  /** Unique among live instances, e.g. `<job>-algo-1`: letters, digits, ".", "_", "-". */
  readonly id: string;
  /** argv of the instance's main process (PID 1's only child: it receives stop()'s SIGTERM). */
  readonly command: readonly string[];
  /** The whole environment of the main process (nothing of Clary's leaks in). */
  readonly env: Readonly<Record<string, string>>;
  /** Bound in order of depth, so /opt/ml can be followed by /opt/ml/input/data/train. */
  readonly mounts: readonly MountSpec[];
  /** Working directory inside the instance (default /). */
  readonly workDir?: string;
  readonly limits: InstanceLimits;
  readonly network: NetworkSpec;
  /** Host name inside the instance (default: the id), e.g. algo-1. */
  readonly hostname?: string;
  /** Extra /etc/hosts entries: name → IP. */
  readonly extraHosts?: Readonly<Record<string, string>>;
  readonly onStdout?: LineSink;
  readonly onStderr?: LineSink;
  /** Cancels start() while it is in progress (what it created is removed). A started instance is not tied to it: use stop(). */
  readonly signal?: AbortSignal;
}

/** How an instance ended. */
export interface ExitInfo {
  /**
   * Exit status of the main process, shell-style: a process killed by signal N reads 128 + N
   * (137 for SIGKILL), as `docker wait` reports it. null when the instance died unrecorded.
   */
  readonly exitCode: number | null;
  /** The signal name when exitCode is 128 + a signal number (SIGKILL, SIGTERM …), else null. */
  readonly signal: NodeJS.Signals | null;
  /** The memory limit made the kernel kill a process of this instance. */
  readonly oomKilled: boolean;
  readonly durationMs: number;
}

/** Opaque, JSON-serialisable identity of an instance: persist it, give it back to reattach/cleanup. */
export interface InstanceHandle {
  /** Which lane made it ('process', 'container' …). */
  readonly runner: string;
  readonly id: string;
  readonly startedAt: number;
  /** Lane-specific data (paths, pids, container id). */
  readonly [key: string]: unknown;
}

export interface RunningInstance {
  readonly id: string;
  /** Host pid of the main process when the lane has one (the process lane does). */
  readonly pid: number | undefined;
  readonly handle: InstanceHandle;
  /** Resolves when the instance has ended (at once for one that ended while Clary was down). */
  wait(options?: { signal?: AbortSignal }): Promise<ExitInfo>;
  /** SIGTERM to the main process, SIGKILL to everything after graceMs (docker stop -t semantics). */
  stop(graceMs: number): Promise<ExitInfo>;
  /** SIGKILL to every process of the instance. */
  kill(): Promise<ExitInfo>;
  /** Output read so far; give it back to reattach to continue without repeating lines. */
  outputCursor(): OutputCursor;
  /** Stops reading output and watching (the instance keeps running): for a controller shutting down. */
  detach(): void;
}

export interface ReattachOptions {
  readonly onStdout?: LineSink;
  readonly onStderr?: LineSink;
  /** Continue output from here (default: from the beginning). */
  readonly outputFrom?: OutputCursor;
}

export interface Runner {
  /** 'process', 'container' … (also `handle.runner` of what it starts). */
  readonly kind: string;
  /** Starts an instance; resolves once it is running (its output and exit are then observable). */
  start(spec: InstanceSpec): Promise<RunningInstance>;
  /**
   * Adopts an instance started by an earlier Clary process. Resolves to an instance that still
   * runs, or one that ended while Clary was down (wait() gives its exit), or undefined when it
   * is gone without a record (the caller fails its job: "the instance was lost").
   */
  reattach(handle: InstanceHandle, options?: ReattachOptions): Promise<RunningInstance | undefined>;
  /** Kills what is left and removes everything the instance had on this machine. Idempotent. */
  cleanup(handle: InstanceHandle): Promise<void>;
  /**
   * Reserves addresses for `hosts` on the private network `network` (mode `private`). undefined
   * when this runner cannot make private networks here (not root, no `ip`, turned off): the caller
   * then uses mode `host`. The network goes with its last instance's cleanup.
   */
  reservePrivateNetwork?(network: string, hosts: readonly string[]): Promise<PrivateNetworkLease | undefined>;
}
