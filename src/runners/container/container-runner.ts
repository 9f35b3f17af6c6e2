import { writeFile } from 'node:fs/promises';
import type Docker from 'dockerode';
import { asAttachment, type NetworkAttachment } from '../network/attachment.js';
import { PrivateNetworks } from '../network/private-networks.js';
import type { InstanceHandle, PrivateNetworkLease, ReattachOptions, Runner, RunningInstance } from '../runner.js';
import { InstanceSpecError, InstanceStartError } from '../runner-errors.js';
import { asContainerHandle, checkInstanceId, type ContainerHandle } from './container-handle.js';
import { ContainerInstance } from './container-instance.js';
import type { ContainerInstanceSpec } from './container-spec.js';
import { createOptions, DEFAULT_ULIMITS, inNetworkNamespace, NETWORK_LABEL, type Ulimit } from './create-options.js';
import { LogFollower } from './log-follower.js';

export interface ContainerRunnerOptions {
  /** The Docker Engine API client, opened on first use (see src/engine: LazyEngine). */
  readonly engine: () => Promise<Docker>;
  /** Image for specs without one. */
  readonly defaultImage?: string;
  /** Container name = prefix + instance id (default "clary-"). */
  readonly namePrefix?: string;
  /** Extra labels on every container (e.g. which Clary made it), for sweeps. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Default: nofile and nproc 1024 (Podman here cannot raise them to the host's values). */
  readonly ulimits?: readonly Ulimit[];
  /** HostConfig.Init (default true): catatonit/docker-init as PID 1, so the command is not PID 1. */
  readonly init?: boolean;
  /** How long kill() waits for the container to be gone after SIGKILL (default 10 s). */
  readonly exitTimeoutMs?: number;
  /** Private networks (network mode private: the container joins its instance's namespace); without them that mode is refused. */
  readonly networks?: PrivateNetworks;
}

export const INSTANCE_LABEL = 'clary.instance';
export const RUNNER_LABEL = 'clary.runner';

const statusOf = (e: unknown) => (e as { statusCode?: number }).statusCode;
const messageOf = (e: unknown) => {
  const err = e as { json?: { message?: string }; message?: string };
  return err.json?.message ?? err.message ?? String(e);
};
/** The engine could not exec the command: Docker's `docker run` exits 127 (not found) or 126 (not executable). */
const EXEC_FAILURE = /executable file .* not found|no such file or directory|not found in \$PATH|permission denied|exec format error/i;

/**
 * The container lane: one container per instance through the Docker Engine API (Docker, or
 * Podman's compatible service). Containers outlive Clary (the engine keeps them), and everything
 * needed to adopt one again is its id in the handle; output is replayed from the engine's log.
 * See docs/containers.md.
 */
export class ContainerRunner implements Runner {
  readonly kind = 'container';
  private readonly prefix: string;

  constructor(private readonly options: ContainerRunnerOptions) {
    this.prefix = options.namePrefix ?? 'clary-';
  }

  async start(spec: ContainerInstanceSpec): Promise<RunningInstance> {
    checkInstanceId(spec.id);
    spec.signal?.throwIfAborted();
    const image = spec.image ?? this.options.defaultImage;
    if (!image) throw new InstanceSpecError(`instance ${spec.id} names no image and the container runner has no default image`);
    const name = `${this.prefix}${spec.id}`;
    const networks = spec.network.mode === 'private' ? this.privateNetworks(spec) : undefined;
    const body = await createOptions(spec, {
      name,
      image,
      labels: { ...this.options.labels, [INSTANCE_LABEL]: spec.id, [RUNNER_LABEL]: 'container' },
      ulimits: this.options.ulimits ?? DEFAULT_ULIMITS,
      init: this.options.init ?? true,
    });
    const docker = await this.engine();
    // On a private network: the instance's namespace first (as the process lane makes it), the container joins it.
    const network = networks ? await networks.attach(spec.network.network!, spec.network.address) : undefined;
    try {
      return await this.run(spec, docker, network ? inNetworkNamespace(body, network) : body, network);
    } catch (e) {
      if (network) await networks!.detach(network).catch(() => undefined);
      throw e;
    }
  }

  private async run(spec: ContainerInstanceSpec, docker: Docker, body: Docker.ContainerCreateOptions, network: NetworkAttachment | undefined): Promise<RunningInstance> {
    const name = body.name!;
    const image = body.Image!;
    let container: Docker.Container;
    try {
      container = await docker.createContainer(body);
    } catch (e) {
      if (statusOf(e) === 409 || /already in use/.test(messageOf(e))) throw new InstanceSpecError(`instance ${spec.id} already exists (container ${name}); clean it up first`);
      if (statusOf(e) === 404) throw new InstanceStartError(`image ${image} is not on this machine: ${messageOf(e)}`);
      throw new InstanceStartError(`cannot create the container of ${spec.id}: ${messageOf(e)}`);
    }
    const startedAt = Date.now();
    const handle: ContainerHandle = { runner: 'container', version: 1, id: spec.id, startedAt, containerId: container.id, name, ...(network ? { network } : {}) };
    try {
      if (spec.signal?.aborted) throw spec.signal.reason;
      await container.start();
    } catch (e) {
      const message = messageOf(e);
      if (spec.signal?.aborted || !EXEC_FAILURE.test(message)) {
        await container.remove({ force: true }).catch(() => undefined);
        if (spec.signal?.aborted) throw spec.signal.reason;
        throw new InstanceStartError(`cannot start the container of ${spec.id}: ${message}`);
      }
      // The command cannot be run: like `docker run`, an instance that ended with 126/127, the reason on stderr.
      spec.onStderr?.({ stream: 'stderr', text: `clary: the container could not run its command: ${message}`, timestamp: Date.now() });
      if (spec.startErrorFile) await writeFile(spec.startErrorFile, `ClientError: the container could not run its command: ${message}`).catch(() => undefined);
    }
    const info = await container.inspect().catch(() => undefined);
    const ports = publishedPorts(info);
    return new ContainerInstance({
      container,
      handle: ports ? { ...handle, ports } : handle,
      pid: info?.State?.Pid || undefined,
      exitTimeoutMs: this.options.exitTimeoutMs ?? 10_000,
      follower: new LogFollower(container, spec.onStdout, spec.onStderr),
      startErrorFile: spec.startErrorFile,
      commandLine: [...(spec.entrypoint ?? info?.Config?.Entrypoint ?? []), ...(info?.Config?.Cmd ?? spec.command)].join(' '),
    });
  }

  async reattach(handle: InstanceHandle, options: ReattachOptions = {}): Promise<RunningInstance | undefined> {
    const h = asContainerHandle(handle);
    const docker = await this.engine();
    const container = docker.getContainer(h.containerId);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect();
    } catch (e) {
      if (statusOf(e) === 404) return undefined;
      throw e;
    }
    return new ContainerInstance({
      container,
      handle: h,
      pid: info.State?.Pid || undefined,
      exitTimeoutMs: this.options.exitTimeoutMs ?? 10_000,
      follower: new LogFollower(container, options.onStdout, options.onStderr, options.outputFrom),
    });
  }

  /** Removes the container (force: killing what still runs), its anonymous volumes and its place on a private network. Idempotent. */
  async cleanup(handle: InstanceHandle): Promise<void> {
    const h = asContainerHandle(handle);
    const docker = await this.engine();
    try {
      await docker.getContainer(h.containerId).remove({ force: true, v: true });
    } catch (e) {
      if (statusOf(e) !== 404) throw e;
    }
    // The namespace goes once no process is in it; the network with its last instance.
    if (h.network) await (this.options.networks ?? this.detacher()).detach(h.network);
  }

  async reservePrivateNetwork(network: string, hosts: readonly string[]): Promise<PrivateNetworkLease | undefined> {
    if (!this.options.networks) return undefined;
    return { network, addresses: await this.options.networks.reserve(network, hosts) };
  }

  /** Containers of this runner (by name prefix and label), for sweeps of what no job refers to. */
  async list(engine?: Docker): Promise<{ instanceId: string; containerId: string; name: string; state: string; labels: Readonly<Record<string, string>> }[]> {
    const docker = engine ?? (await this.engine());
    const all = await docker.listContainers({ all: true, filters: { label: [`${RUNNER_LABEL}=container`] } });
    return all
      .map((c) => ({ c, name: (c.Names ?? []).map((n) => n.replace(/^\//, '')).find((n) => n.startsWith(this.prefix)) }))
      .filter((x): x is { c: Docker.ContainerInfo; name: string } => x.name !== undefined)
      .map(({ c, name }) => ({ instanceId: c.Labels?.[INSTANCE_LABEL] ?? '', containerId: c.Id, name, state: c.State, labels: c.Labels ?? {} }));
  }

  /** Removes this runner's containers whose instance id is not in `keep`; returns their names. `engine`: while the engine is opening. */
  async sweep(keep: ReadonlySet<string>, engine?: Docker): Promise<string[]> {
    const docker = engine ?? (await this.engine());
    const removed: string[] = [];
    for (const c of await this.list(docker)) {
      if (keep.has(c.instanceId)) continue;
      await docker.getContainer(c.containerId).remove({ force: true, v: true }).catch(() => undefined);
      const att = attachmentOfLabel(c.labels[NETWORK_LABEL]);
      if (att) await (this.options.networks ?? this.detacher()).detach(att).catch(() => undefined);
      removed.push(c.name);
    }
    return removed;
  }

  private privateNetworks(spec: ContainerInstanceSpec): PrivateNetworks {
    if (!this.options.networks) throw new InstanceSpecError(`network mode private is not available on this machine (see Clary's start-up log); instance ${spec.id}`);
    if (!spec.network.network || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(spec.network.network)) {
      throw new InstanceSpecError(`network mode private needs a network name (letters, digits, ".", "_", "-"), got "${String(spec.network.network)}"`);
    }
    return this.options.networks;
  }

  /** Removes a recorded attachment when this runner was made without networks (turned off since). */
  private detacher(): PrivateNetworks {
    return new PrivateNetworks({ owner: this.prefix });
  }

  private async engine(): Promise<Docker> {
    try {
      return await this.options.engine();
    } catch (e) {
      throw new InstanceStartError(`the container engine is not available: ${(e as Error).message}`);
    }
  }
}

/** Container port → host port, from inspect's NetworkSettings.Ports (undefined when none is published). */
function publishedPorts(info: Docker.ContainerInspectInfo | undefined): Record<string, number> | undefined {
  const ports = info?.NetworkSettings?.Ports;
  if (!ports) return undefined;
  const out: Record<string, number> = {};
  for (const [key, bindings] of Object.entries(ports)) {
    const host = bindings?.[0]?.HostPort;
    if (host) out[key.split('/')[0]!] = Number(host);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The attachment a container's NETWORK_LABEL records (undefined when none or unreadable). */
function attachmentOfLabel(label: string | undefined): NetworkAttachment | undefined {
  if (!label) return undefined;
  try {
    return asAttachment(JSON.parse(label));
  } catch {
    return undefined;
  }
}
