import Docker from 'dockerode';
import { join } from 'node:path';
import { chooseEngine, hostProbe, type ContainerEngineConfig, type EngineChoice } from './engine-choice.js';
import { waitForPing } from './ping.js';
import { PodmanService } from './podman-service.js';

/** A Docker Engine API Clary talks to (Docker's, or Podman's compatible one). */
export interface ContainerEngine {
  readonly docker: Docker;
  readonly choice: EngineChoice;
  /** Clary started it (Podman) and stops it in close(). */
  readonly owned: boolean;
  close(): Promise<void>;
}

/** Raised when no engine can be had: the message says what to install or set. */
export class ContainerEngineUnavailableError extends Error {
  override readonly name = 'ContainerEngineUnavailableError';
}

export const INIT_CANDIDATES = ['/usr/bin/catatonit', '/usr/libexec/podman/catatonit', '/usr/bin/tini'];

/** Connects to (or starts) the engine chooseEngine() picks, and waits until /_ping answers. */
export async function openContainerEngine(config: ContainerEngineConfig, dataDir: string, opts: { startTimeoutMs?: number } = {}): Promise<ContainerEngine> {
  const choice = chooseEngine(config, dataDir);
  const timeout = opts.startTimeoutMs ?? 30_000;
  switch (choice.kind) {
    case 'none':
      throw new ContainerEngineUnavailableError(`no container engine: ${choice.why}`);
    case 'tcp': {
      const docker = new Docker({ host: choice.host, port: choice.port, protocol: 'http' });
      await docker.ping().catch((e: Error) => {
        throw new ContainerEngineUnavailableError(`the container engine at ${choice.why} does not answer: ${e.message}`);
      });
      return { docker, choice, owned: false, close: async () => undefined };
    }
    case 'socket': {
      await waitForPing(choice.socketPath, Math.min(timeout, 5_000)).catch((e: Error) => {
        throw new ContainerEngineUnavailableError(`the container engine (${choice.why}) does not answer: ${e.message}`);
      });
      return { docker: new Docker({ socketPath: choice.socketPath }), choice, owned: false, close: async () => undefined };
    }
    case 'podman': {
      const service = new PodmanService({
        podmanPath: choice.podmanPath,
        socketPath: choice.socketPath,
        confPath: join(dataDir, 'containers.conf'),
        pidFile: join(dataDir, 'podman.pid'),
        logFile: join(dataDir, 'podman.log'),
        initPath: INIT_CANDIDATES.find((p) => hostProbe.exists(p)),
        startTimeoutMs: timeout,
      });
      try {
        await service.start();
      } catch (e) {
        throw new ContainerEngineUnavailableError(`cannot start Podman (${choice.why}): ${(e as Error).message}`);
      }
      return { docker: new Docker({ socketPath: choice.socketPath }), choice, owned: true, close: () => service.stop() };
    }
  }
}
