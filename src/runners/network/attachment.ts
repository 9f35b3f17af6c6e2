import { addressOf, bridgeName, GATEWAY_HOST, netnsName, vethName } from './names.js';

/**
 * One instance's place on a private network: what the process lane records in its handle, so that
 * cleanup (also by a later Clary) removes exactly that. JSON-serialisable.
 */
export interface NetworkAttachment {
  /** The network's name (a training job's name …). */
  readonly network: string;
  /** Its /24 (names.ts). */
  readonly key: string;
  /** Host part of the address (2 … 254). */
  readonly host: number;
  /** The instance's address (on eth0 inside, /24). */
  readonly address: string;
  /** The bridge's address: the instances' route to Clary. */
  readonly gateway: string;
  /** Network namespace (ip netns) the sandbox runs in. */
  readonly netns: string;
  /** Its bind mount, for `nsenter --net=`. */
  readonly netnsPath: string;
  /** Host end of the veth pair (the instance's end is eth0 in the namespace). */
  readonly hostVeth: string;
  readonly bridge: string;
}

export function attachmentOf(network: string, key: string, host: number): NetworkAttachment {
  const netns = netnsName(key, host);
  return {
    network,
    key,
    host,
    address: addressOf(key, host),
    gateway: addressOf(key, GATEWAY_HOST),
    netns,
    netnsPath: `/run/netns/${netns}`,
    hostVeth: vethName(key, host),
    bridge: bridgeName(key),
  };
}

/** Validates an attachment read back from a handle. */
export function asAttachment(value: unknown): NetworkAttachment | undefined {
  if (value === undefined || value === null) return undefined;
  const a = value as Partial<NetworkAttachment>;
  if (typeof a.network !== 'string' || typeof a.key !== 'string' || !/^[0-9a-f]{6}$/.test(a.key) || typeof a.host !== 'number') {
    throw new Error('malformed network attachment in handle');
  }
  return attachmentOf(a.network, a.key, a.host);
}
