import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Container settings, compiled in core/config.ts. */
export interface ContainerEngineConfig {
  /** CLARY_DOCKER_HOST: `unix:///path.sock`, `/path.sock` or `tcp://host:port`; undefined: discover. */
  readonly dockerHost: string | undefined;
  /** CLARY_START_PODMAN (default on): with no engine socket, start `podman system service` on <dataDir>/podman.sock. */
  readonly startPodman: boolean;
  /** CLARY_PODMAN (default `podman` on PATH). */
  readonly podmanPath: string;
}

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where the Docker Engine API comes from, and why (said in logs and `clary images ls`). */
export type EngineChoice =
  | { readonly kind: 'socket'; readonly socketPath: string; readonly why: string }
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly why: string }
  | { readonly kind: 'podman'; readonly socketPath: string; readonly podmanPath: string; readonly why: string }
  | { readonly kind: 'none'; readonly why: string };

export interface ChoiceProbe {
  exists(path: string): boolean;
  /** Absolute path of an executable, when it is there. */
  which(name: string): string | undefined;
}

export const hostProbe: ChoiceProbe = {
  exists: (p) => existsSync(p),
  which(name) {
    if (name.includes('/')) return existsSync(name) ? name : undefined;
    for (const dir of (process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin').split(':')) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
    return undefined;
  },
};

/**
 * Lookup order: CLARY_DOCKER_HOST when set (used as is, even if it does not answer: a typo must
 * not silently start another engine); else /var/run/docker.sock when it exists; else, when
 * podman is installed and CLARY_START_PODMAN is not off, Clary's own Podman service on
 * <dataDir>/podman.sock; else none.
 */
export function chooseEngine(config: ContainerEngineConfig, dataDir: string, probe: ChoiceProbe = hostProbe): EngineChoice {
  const host = config.dockerHost;
  if (host) {
    if (host.startsWith('tcp://')) {
      const url = new URL(host);
      return { kind: 'tcp', host: url.hostname, port: Number(url.port || 2375), why: `CLARY_DOCKER_HOST=${host}` };
    }
    const socketPath = host.startsWith('unix://') ? host.slice('unix://'.length) : host;
    return { kind: 'socket', socketPath, why: `CLARY_DOCKER_HOST=${host}` };
  }
  if (probe.exists(DEFAULT_DOCKER_SOCKET)) return { kind: 'socket', socketPath: DEFAULT_DOCKER_SOCKET, why: `${DEFAULT_DOCKER_SOCKET} exists` };
  const podman = probe.which(config.podmanPath);
  if (!config.startPodman) return { kind: 'none', why: `no ${DEFAULT_DOCKER_SOCKET}, CLARY_DOCKER_HOST is not set and CLARY_START_PODMAN is off` };
  if (!podman) return { kind: 'none', why: `no ${DEFAULT_DOCKER_SOCKET}, CLARY_DOCKER_HOST is not set and ${config.podmanPath} is not installed (apt-get install podman runc catatonit)` };
  return { kind: 'podman', socketPath: join(dataDir, 'podman.sock'), podmanPath: podman, why: `no ${DEFAULT_DOCKER_SOCKET}: Clary runs ${podman} system service on ${join(dataDir, 'podman.sock')}` };
}
