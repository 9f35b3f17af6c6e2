import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { LazyEngine, openContainerEngine, type ContainerEngine, type ContainerEngineConfig } from '../../engine/index.js';
import { resolveImage, type ImageResolution } from '../../images/index.js';
import type { PrivateNetworks } from '../network/private-networks.js';
import { ContainerRunner } from './container-runner.js';

/** Label with a hash of the data dir: which Clary made a container (several may share an engine). */
export const OWNER_LABEL = 'clary.owner';

/** The OWNER_LABEL value of the Clary with this data dir. */
export function ownerOf(dataDir: string): string {
  return createHash('sha256').update(dataDir).digest('hex').slice(0, 16);
}

export interface ContainerLaneOptions {
  /** How to open the engine (default: openContainerEngine with the config). */
  readonly open?: () => Promise<ContainerEngine>;
  /** Runs once when the engine has opened, before it is used (a sweep of leftover containers). */
  readonly onOpen?: (runner: ContainerRunner, docker: Docker) => Promise<unknown>;
  /** Private networks for instances of mode private (the process lane's, so both lanes share them). */
  readonly networks?: PrivateNetworks;
}

/**
 * The container lane as Clary holds it: the engine, opened lazily on first use (a job with a
 * custom image, `clary images`), the runner on it, and image resolution. close() stops the
 * engine when Clary started it (Podman); containers keep running for the next Clary to reattach.
 */
export class ContainerLane {
  readonly runner: ContainerRunner;
  private readonly engine: LazyEngine;

  constructor(config: ContainerEngineConfig, dataDir: string, options: ContainerLaneOptions = {}) {
    const open = options.open ?? (() => openContainerEngine(config, dataDir));
    this.engine = new LazyEngine(async () => {
      const engine = await open();
      // Before anything starts: containers of this Clary that no unfinished job refers to go.
      if (options.onOpen) await options.onOpen(this.runner, engine.docker).catch(() => undefined);
      return engine;
    });
    const owner = ownerOf(dataDir);
    this.runner = new ContainerRunner({
      engine: () => this.docker(),
      // Several Clarys (data dirs) may share one engine: the owner keeps their names apart.
      namePrefix: `clary-${owner.slice(0, 8)}-`,
      labels: { [OWNER_LABEL]: owner },
      networks: options.networks,
    });
  }

  /** Opens the engine if need be (starting Podman: a second or two). */
  async docker(): Promise<Docker> {
    return (await this.engine.get()).docker;
  }

  /** Which engine, and why (for status messages and `clary images ls`). */
  async describe(): Promise<string> {
    const e = await this.engine.get();
    return e.choice.why;
  }

  resolve(uri: string): Promise<ImageResolution> {
    return this.docker().then((d) => resolveImage(d, uri));
  }

  get started(): boolean {
    return this.engine.started;
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
