import { formatIpv4, type Cidr } from './ipv4.js';

/**
 * Names of what a private network puts in the kernel, all derived from its /24. A subnet is claimed
 * machine-wide before anything is created (claims.ts), so the names are unique on the machine,
 * even with several Clarys on it, and a name tells which subnet (and which host of it) it serves.
 * Interface names stay within the kernel's 15 characters.
 *
 *   bridge      clb<subnet>          clb0ad505        (10.213.5.0/24)
 *   host veth   clv<subnet><host>    clv0ad50502      (the instance 10.213.5.2; its peer is eth0 inside)
 *   netns       clary-<subnet>-<host> clary-0ad505-02
 */
export const BRIDGE_PREFIX = 'clb';
export const VETH_PREFIX = 'clv';
export const NETNS_PREFIX = 'clary-';

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/** The 6 hex digits naming a /24 (its first three octets). */
export const subnetKey = (subnet: Cidr) => hex(subnet.base >>> 8, 6);

export const bridgeName = (key: string) => `${BRIDGE_PREFIX}${key}`;
export const vethName = (key: string, host: number) => `${VETH_PREFIX}${key}${hex(host, 2)}`;
export const netnsName = (key: string, host: number) => `${NETNS_PREFIX}${key}-${hex(host, 2)}`;

/** The subnet a key names. */
export function subnetOfKey(key: string): Cidr {
  return { base: parseInt(key, 16) * 256, prefix: 24 };
}

/** .1 is the bridge (the instances' gateway to Clary); instances get .2 … .254. */
export const GATEWAY_HOST = 1;
export const FIRST_HOST = 2;
export const LAST_HOST = 254;

export const addressOf = (key: string, host: number) => formatIpv4(subnetOfKey(key).base + host);

/** Parses the kernel names Clary gives (undefined for anything else). */
export function parseNetnsName(name: string): { key: string; host: number } | undefined {
  const m = /^clary-([0-9a-f]{6})-([0-9a-f]{2})$/.exec(name);
  return m ? { key: m[1]!, host: parseInt(m[2]!, 16) } : undefined;
}
export function parseVethName(name: string): { key: string; host: number } | undefined {
  const m = /^clv([0-9a-f]{6})([0-9a-f]{2})$/.exec(name);
  return m ? { key: m[1]!, host: parseInt(m[2]!, 16) } : undefined;
}
export function parseBridgeName(name: string): string | undefined {
  return /^clb([0-9a-f]{6})$/.exec(name)?.[1];
}
