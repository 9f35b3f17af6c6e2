import { access, constants } from 'node:fs/promises';
import { ipCommand, type IpRunner } from './ip-command.js';
import { isPrivateRange, parseCidr } from './ipv4.js';
import { PrivateNetworks, type PrivateNetworksOptions } from './private-networks.js';
import { ensureServiceAddress } from './service-address.js';

export const NSENTER_PATH = '/usr/bin/nsenter';

export type OpenedNetworks = { readonly networks: PrivateNetworks; readonly reason?: undefined } | { readonly networks?: undefined; readonly reason: string };

/**
 * Private networking when this machine allows it: root (namespaces, bridges), iproute2's `ip`,
 * util-linux's `nsenter`, and the service address on `lo`. Otherwise the reason, to log; the
 * caller then runs instances on the host's network as before.
 */
export async function openPrivateNetworks(options: PrivateNetworksOptions & { nsenterPath?: string }): Promise<OpenedNetworks> {
  let range;
  try {
    range = parseCidr(options.range ?? '10.213.0.0/16');
  } catch (e) {
    return { reason: `the private network range is not usable: ${(e as Error).message}` };
  }
  if (!isPrivateRange(range) || range.prefix > 24) return { reason: `the private network range ${options.range} must be a /24 or wider inside 10/8, 172.16/12 or 192.168/16` };
  if (process.getuid?.() !== 0) return { reason: 'private networks need root (network namespaces, bridges); instances share the host network' };
  const ip: IpRunner = options.ip ?? ipCommand();
  try {
    await ip(['-V']);
  } catch {
    return { reason: "iproute2's ip is not installed (apt-get install iproute2); instances share the host network" };
  }
  if (!(await access(options.nsenterPath ?? NSENTER_PATH, constants.X_OK).then(() => true, () => false))) {
    return { reason: `nsenter is missing at ${options.nsenterPath ?? NSENTER_PATH} (apt-get install util-linux); instances share the host network` };
  }
  try {
    await ensureServiceAddress(ip);
  } catch (e) {
    return { reason: `cannot put Clary's service address on lo (${(e as Error).message}); instances share the host network` };
  }
  return { networks: new PrivateNetworks({ ...options, ip }) };
}
