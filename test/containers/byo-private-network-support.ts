import { spawnSync } from 'node:child_process';

/** Names in `ip netns list` and `ip link` now. */
export function kernelNetworkNames(): string[] {
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]!);
  const links = (JSON.parse(spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout) as { ifname: string }[]).map((l) => l.ifname);
  return [...ns, ...links].filter(Boolean);
}

/** The host's own IPv4 addresses outside loopback and Clary's bridges (a host service on the wildcard address would answer there). */
export function hostAddresses(): string[] {
  return (JSON.parse(spawnSync('ip', ['-j', '-4', 'addr'], { encoding: 'utf8' }).stdout) as { ifname: string; addr_info: { local: string; scope: string }[] }[])
    .filter((l) => l.ifname !== 'lo' && !l.ifname.startsWith('clb'))
    .flatMap((l) => l.addr_info.filter((a) => a.scope !== 'link').map((a) => a.local));
}
