import type { Logger } from '../../core/logger.js';
import { openPrivateNetworks } from './open-networks.js';
import type { PrivateNetworks } from './private-networks.js';
import { startServiceForwarder, type ServiceForwarder } from './service-forwarder.js';

export interface InstanceNetworksInput {
  /** The config's switch (CLARY_PRIVATE_NETWORKS). */
  readonly enabled: boolean;
  readonly range: string;
  /** Clary's data dir (owner of its claims). */
  readonly owner: string;
  /** Where Clary's HTTP server listens: served on the service address for the instances. */
  readonly listen: { readonly host: string; readonly port: number };
  readonly log: Logger;
  readonly claimDir?: string;
}

/** What a Clary holds for its instances' networks (see startInstanceNetworks). */
export interface InstanceNetworks {
  /** undefined when private networks are off or impossible here (the reason was logged). */
  readonly networks: PrivateNetworks | undefined;
  /** Removes leftovers of crashed runs (after the leftover instances were cleaned up). */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Clary's side of private networks, for the composition root: opens them when the machine allows
 * (root, ip, nsenter), serves Clary's port on the service address (169.254.170.2) unless Clary
 * already listens on every address, and falls back to the host network with a logged reason.
 */
export async function startInstanceNetworks(input: InstanceNetworksInput): Promise<InstanceNetworks> {
  const off = (reason: string): InstanceNetworks => {
    input.log.warn({ reason }, 'private networks are off: instances of non-isolated jobs share the host network');
    return { networks: undefined, sweep: async () => undefined, close: async () => undefined };
  };
  if (!input.enabled) return off('turned off (CLARY_PRIVATE_NETWORKS=off)');
  const opened = await openPrivateNetworks({ owner: input.owner, range: input.range, log: input.log, claimDir: input.claimDir });
  if (!opened.networks) return off(opened.reason);
  let forwarder: ServiceForwarder | undefined;
  if (!WILDCARD.has(input.listen.host)) {
    try {
      forwarder = await startServiceForwarder({ host: input.listen.host, port: input.listen.port });
    } catch (e) {
      return off(`cannot serve Clary on 169.254.170.2:${input.listen.port} for the instances (${(e as Error).message})`);
    }
  }
  const networks = opened.networks;
  return {
    networks,
    async sweep() {
      await networks.sweep().catch((e: unknown) => input.log.error({ err: e }, 'cannot sweep leftover private networks'));
    },
    async close() {
      await forwarder?.close();
    },
  };
}
