import { stat } from 'node:fs/promises';
import { isAbsolute, normalize } from 'node:path';
import type Docker from 'dockerode';
import { InstanceSpecError } from '../runner-errors.js';
import type { NetworkAttachment } from '../network/attachment.js';
import type { ContainerInstanceSpec } from './container-spec.js';

export interface Ulimit {
  readonly Name: string;
  readonly Soft: number;
  readonly Hard: number;
}

/** Podman cannot raise nofile/nproc to this host's values; Docker takes these as well. */
export const DEFAULT_ULIMITS: readonly Ulimit[] = [
  { Name: 'nofile', Soft: 1024, Hard: 1024 },
  { Name: 'nproc', Soft: 1024, Hard: 1024 },
];

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const ENGINE_OWNED = ['/proc', '/sys', '/dev'];

export interface CreateContext {
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ulimits: readonly Ulimit[];
  /** HostConfig.Init: an init (catatonit/docker-init) as PID 1, the command its child. */
  readonly init: boolean;
}

/** Checks the spec and turns it into the Docker API's create body. Throws InstanceSpecError before anything exists. */
export async function createOptions(spec: ContainerInstanceSpec, ctx: CreateContext): Promise<Docker.ContainerCreateOptions> {
  const hostname = spec.hostname ?? spec.id;
  if (!HOSTNAME.test(hostname)) throw new InstanceSpecError(`invalid hostname "${hostname}"`);
  if (spec.command.length === 0 && spec.entrypoint?.length === 0) throw new InstanceSpecError(`instance ${spec.id} has neither a command nor an entrypoint`);
  const mounts: Docker.MountSettings[] = [];
  for (const m of spec.mounts) {
    if (!isAbsolute(m.hostPath) || !isAbsolute(m.sandboxPath)) throw new InstanceSpecError(`mount paths must be absolute (${m.hostPath} → ${m.sandboxPath})`);
    const target = normalize(m.sandboxPath);
    if (target === '/' || ENGINE_OWNED.some((p) => target === p || target.startsWith(`${p}/`))) {
      throw new InstanceSpecError(`mount target ${m.sandboxPath}: / , /proc, /sys and /dev belong to the container`);
    }
    if (!(await stat(m.hostPath).then(() => true, () => false))) throw new InstanceSpecError(`mount source ${m.hostPath} does not exist`);
    mounts.push({ Type: 'bind', Source: m.hostPath, Target: target, ReadOnly: m.readOnly });
  }
  const publish = spec.publish ?? [];
  if (publish.length > 0 && spec.network.mode !== 'host') throw new InstanceSpecError(`instance ${spec.id}: ports can only be published with network mode host (the container then uses the engine's bridge network)`);
  for (const p of publish) {
    if (!Number.isInteger(p.containerPort) || p.containerPort < 1 || p.containerPort > 65535 || !Number.isInteger(p.hostPort) || p.hostPort < 0 || p.hostPort > 65535) {
      throw new InstanceSpecError(`instance ${spec.id}: bad port mapping ${p.hostPort}:${p.containerPort}`);
    }
  }
  if (spec.network.mode !== 'none' && spec.network.mode !== 'host' && spec.network.mode !== 'private') throw new InstanceSpecError(`network mode "${String(spec.network.mode)}" is not supported by the container lane (none, host, private)`);
  const { vcpus, memoryBytes, pidsMax } = spec.limits;
  if (!(vcpus > 0) || !Number.isSafeInteger(memoryBytes) || memoryBytes < 6 * 1024 * 1024) {
    throw new InstanceSpecError(`limits need vcpus > 0 and memoryBytes ≥ 6 MiB (got ${vcpus}, ${memoryBytes})`);
  }
  return {
    name: ctx.name,
    Image: ctx.image,
    Cmd: [...spec.command],
    ...(spec.entrypoint ? { Entrypoint: [...spec.entrypoint] } : {}),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: spec.workDir,
    Hostname: hostname,
    Labels: { ...ctx.labels },
    ...(publish.length > 0 ? { ExposedPorts: Object.fromEntries(publish.map((p) => [`${p.containerPort}/tcp`, {}])) } : {}),
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    StopSignal: 'SIGTERM',
    HostConfig: {
      Init: ctx.init,
      Mounts: mounts,
      // private: none until the instance's namespace exists (inNetworkNamespace), so nothing is ever reachable by mistake.
      NetworkMode: publish.length > 0 ? 'bridge' : spec.network.mode === 'private' ? 'none' : spec.network.mode,
      ...(publish.length > 0
        ? { PortBindings: Object.fromEntries(publish.map((p) => [`${p.containerPort}/tcp`, [{ HostIp: p.hostIp ?? '127.0.0.1', HostPort: p.hostPort ? String(p.hostPort) : '' }]])) }
        : {}),
      ExtraHosts: Object.entries(spec.extraHosts ?? {}).map(([name, ip]) => `${name}:${ip}`),
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(vcpus * 1e9),
      ...(pidsMax !== undefined ? { PidsLimit: pidsMax } : {}),
      Ulimits: ctx.ulimits.map((u) => ({ ...u })),
      RestartPolicy: { Name: 'no' },
      AutoRemove: false,
    },
  };
}

/** Label with the instance's place on a private network ({network, key, host}), so a sweep of leftover containers can remove it. */
export const NETWORK_LABEL = 'clary.network';

/**
 * The create body of an instance on a private network: the container joins the network namespace
 * its attachment made (NetworkMode `ns:/run/netns/<name>`, which Podman's Docker-compatible API
 * takes; Docker's has no such mode: see docs/networking.md), and the engine adds no interface of
 * its own. docs/networking.md.
 */
export function inNetworkNamespace(body: Docker.ContainerCreateOptions, att: NetworkAttachment): Docker.ContainerCreateOptions {
  return {
    ...body,
    Labels: { ...body.Labels, [NETWORK_LABEL]: JSON.stringify({ network: att.network, key: att.key, host: att.host }) },
    HostConfig: { ...body.HostConfig, NetworkMode: `ns:${att.netnsPath}` },
  };
}
