import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Logger } from '../../core/logger.js';
import { attachmentOf, type NetworkAttachment } from './attachment.js';
import { SubnetClaims, type ClaimRecord } from './claims.js';
import { ipBatch, ipBatchForce, ipCommand, IpCommandError, linkNames, netnsNames, type IpRunner } from './ip-command.js';
import { contains, formatCidr, overlaps, parseCidr, parseIpv4, subnets24, type Cidr } from './ipv4.js';
import { addressOf, bridgeName, FIRST_HOST, GATEWAY_HOST, LAST_HOST, parseBridgeName, parseNetnsName, parseVethName, subnetKey, subnetOfKey } from './names.js';
import { SERVICE_ADDRESS } from './service-address.js';

export const DEFAULT_PRIVATE_RANGE = '10.213.0.0/16';
export const DEFAULT_CLAIM_DIR = '/run/clary/networks';

export interface PrivateNetworksOptions {
  /** This Clary's data dir: claims carry it, and a claim whose owner dir is gone is anybody's to sweep. */
  readonly owner: string;
  /** Where /24s are carved from (default 10.213.0.0/16). */
  readonly range?: string;
  /** Machine-wide claim files (default /run/clary/networks). */
  readonly claimDir?: string;
  readonly ip?: IpRunner;
  readonly log?: Logger;
}

/**
 * Private L2 networks for instances (docs/networking.md): one Linux bridge per network on a /24 of
 * the range, the bridge holding .1; each instance in its own network namespace with a veth pair
 * into the bridge (eth0 inside, .2 …), loopback up and one route: to Clary's service address via
 * the bridge. No default route, no NAT: an instance reaches its network's other instances and Clary.
 */
export class PrivateNetworks {
  readonly range: Cidr;
  readonly owner: string;
  private readonly claims: SubnetClaims;
  private readonly ip: IpRunner;
  /** network → its /24's key, for this owner. */
  private readonly keys = new Map<string, string>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: PrivateNetworksOptions) {
    this.range = parseCidr(options.range ?? DEFAULT_PRIVATE_RANGE);
    this.owner = options.owner;
    this.claims = new SubnetClaims(options.claimDir ?? DEFAULT_CLAIM_DIR);
    this.ip = options.ip ?? ipCommand();
  }

  /**
   * The addresses `hosts` will have on `network`, in order (.2, .3 …), so every instance can be
   * told the others' before any starts. Claims a /24 and creates the bridge unless the network has them.
   */
  async reserve(network: string, hosts: readonly string[]): Promise<Record<string, string>> {
    if (hosts.length > LAST_HOST - FIRST_HOST + 1) throw new Error(`a private network holds at most ${LAST_HOST - FIRST_HOST + 1} instances (asked for ${hosts.length})`);
    const key = await this.networkKey(network);
    return Object.fromEntries(hosts.map((h, i) => [h, addressOf(key, FIRST_HOST + i)]));
  }

  /** The /24 a network of this owner holds now (undefined when it has none). */
  async subnetOf(network: string): Promise<string | undefined> {
    const key = await this.findKey(network);
    return key === undefined ? undefined : formatCidr(subnetOfKey(key));
  }

  /**
   * Creates an instance's namespace on `network` with `address` (one reserve() gave), or the
   * highest free address when none is given. Undone entirely when it fails.
   */
  async attach(network: string, address?: string): Promise<NetworkAttachment> {
    for (let attempt = 0; ; attempt++) {
      const key = await this.networkKey(network);
      const att = await this.locked(key, async () => {
        // The network's last instance may have gone (and its subnet with it) since networkKey.
        const claim = await this.claims.read(key);
        if (claim?.owner !== this.owner || claim.network !== network) return undefined;
        const host = address === undefined ? await this.freeHost(key) : this.hostOf(key, network, address);
        const a = attachmentOf(network, key, host);
        // Two `ip` processes in all (start latency): the host side, then the namespace's side.
        const hostSide = [`netns add ${a.netns}`, `link add ${a.hostVeth} type veth peer name eth0 netns ${a.netns}`, `link set ${a.hostVeth} master ${a.bridge} up`];
        const inside = ['link set lo up', `addr add ${a.address}/24 dev eth0`, 'link set eth0 up', `route add ${SERVICE_ADDRESS}/32 via ${a.gateway}`];
        for (let tries = 0; ; tries++) {
          try {
            await ipBatch(this.ip, hostSide);
            await ipBatch(this.ip, inside, a.netns);
            return a;
          } catch (e) {
            // The first line failed: the namespace is another instance's, nothing was created.
            if (e instanceof IpCommandError && /namespace file.*File exists/.test(e.stderr)) throw new Error(`address ${a.address} on network ${network} is in use (namespace ${a.netns} exists)`);
            await this.removeInstance(a).catch(() => undefined);
            // The bridge went missing (swept, removed by hand): made again once.
            if (tries === 0 && !(await linkNames(this.ip, ['dev', a.bridge])).length) {
              await this.ensureBridge(key);
              continue;
            }
            await this.removeNetworkIfEmpty(key).catch(() => undefined);
            throw e;
          }
        }
      });
      if (att) return att;
      if (attempt >= 2) throw new Error(`network ${network} keeps disappearing while an instance joins it`);
    }
  }

  /** Removes an instance's namespace and veth, and the network's bridge and subnet once no instance is left. Idempotent. */
  async detach(att: NetworkAttachment): Promise<void> {
    await this.locked(att.key, async () => {
      // The subnet went with its network's last instance (a sweep while Clary was down) and another
      // network holds it now: the names are that network's, nothing of this attachment is left.
      const claim = await this.claims.read(att.key);
      if (claim && att.network !== '' && claim.network !== att.network) return;
      await this.removeInstance(att);
      await this.removeNetworkIfEmpty(att.key);
    });
  }

  /** What of an attachment is still on the machine (empty once detached): for tests and checks. */
  async residue(att: NetworkAttachment): Promise<string[]> {
    const left: string[] = [];
    if ((await netnsNames(this.ip)).includes(att.netns)) left.push(`netns ${att.netns}`);
    if ((await linkNames(this.ip, ['dev', att.hostVeth])).length > 0) left.push(`link ${att.hostVeth}`);
    return left;
  }

  /**
   * Removes what no live instance uses, for this owner and for owners whose data dir is gone:
   * namespaces no process is in (with their veths), host veths whose namespace is gone, bridges
   * without ports and their claims, claims without bridges. Run at start, before instances start.
   * Kernel objects with Clary's names that no claim covers are leftovers too (claims come first).
   */
  async sweep(): Promise<string[]> {
    const removed: string[] = [];
    const claims = new Map((await this.claims.list()).map((c) => [c.key, c.record]));
    const sweepable = (key: string) => this.sweepable(claims.get(key));
    for (const ns of await netnsNames(this.ip)) {
      const p = parseNetnsName(ns);
      if (!p || !sweepable(p.key)) continue;
      if ((await this.ip(['netns', 'pids', ns]).catch(() => 'unknown')).trim() !== '') continue;
      await this.removeInstance(attachmentOf('', p.key, p.host));
      removed.push(`netns ${ns}`);
    }
    const namespaces = new Set(await netnsNames(this.ip));
    for (const veth of await linkNames(this.ip, ['type', 'veth'])) {
      const p = parseVethName(veth);
      if (!p || !sweepable(p.key) || namespaces.has(attachmentOf('', p.key, p.host).netns)) continue;
      await ipBatchForce(this.ip, [`link del ${veth}`]);
      removed.push(`link ${veth}`);
    }
    const bridges = await linkNames(this.ip, ['type', 'bridge']);
    for (const bridge of bridges) {
      const key = parseBridgeName(bridge);
      if (key === undefined || !sweepable(key)) continue;
      if ((await linkNames(this.ip, ['master', bridge])).length > 0) continue;
      await ipBatchForce(this.ip, [`link del ${bridge}`]);
      if (claims.has(key)) await this.claims.release(key);
      removed.push(`bridge ${bridge}`);
    }
    for (const [key, record] of claims) {
      if (!this.sweepable(record) || bridges.includes(bridgeName(key))) continue;
      await this.claims.release(key);
      removed.push(`claim ${key}`);
    }
    this.keys.clear();
    if (removed.length > 0) this.options.log?.info({ removed }, 'removed leftover private-network pieces no live instance uses');
    return removed;
  }

  private sweepable(claim: ClaimRecord | undefined): boolean {
    return claim === undefined || claim.owner === this.owner || claim.owner === '' || (claim.owner.startsWith('/') && !existsSync(claim.owner));
  }

  private async findKey(network: string): Promise<string | undefined> {
    const cached = this.keys.get(network);
    if (cached !== undefined) {
      const c = await this.claims.read(cached);
      if (c?.owner === this.owner && c.network === network) return cached;
      this.keys.delete(network);
    }
    for (const { key, record } of await this.claims.list()) {
      if (record.owner === this.owner && record.network === network) {
        this.keys.set(network, key);
        return key;
      }
    }
    return undefined;
  }

  private networkKey(network: string): Promise<string> {
    return this.locked(`network:${network}`, async () => (await this.findKey(network)) ?? (await this.claimSubnet(network)));
  }

  private async claimSubnet(network: string): Promise<string> {
    const routed = await this.routedPrefixes();
    for (const subnet of subnets24(this.range)) {
      if (routed.some((r) => overlaps(r, subnet))) continue;
      const key = subnetKey(subnet);
      if (!(await this.claims.claim(key, { owner: this.owner, network, createdAt: Date.now() }))) continue;
      const bridge = bridgeName(key);
      // A bridge no claim covered: a leftover. Reused when empty, else the subnet is skipped.
      if ((await linkNames(this.ip, ['dev', bridge])).length > 0) {
        if ((await linkNames(this.ip, ['master', bridge])).length > 0) {
          await this.claims.release(key);
          continue;
        }
        await ipBatchForce(this.ip, [`link del ${bridge}`]);
      }
      try {
        await this.ensureBridge(key);
      } catch (e) {
        await this.claims.release(key);
        throw e;
      }
      this.keys.set(network, key);
      return key;
    }
    throw new Error(`no free /24 left in ${formatCidr(this.range)} for private network ${network} (each network takes one; see docs/networking.md)`);
  }

  /** Prefixes the host routes already (its own networks, podman's, the LAN …): never handed out. */
  private async routedPrefixes(): Promise<Cidr[]> {
    const routes = JSON.parse((await this.ip(['-j', '-4', 'route', 'show', 'table', 'all'])) || '[]') as { dst?: string }[];
    const out: Cidr[] = [];
    for (const r of routes) {
      if (!r.dst || r.dst === 'default') continue;
      try {
        out.push(parseCidr(r.dst.includes('/') ? r.dst : `${r.dst}/32`));
      } catch {
        // not a plain IPv4 prefix: ignore
      }
    }
    return out;
  }

  private async ensureBridge(key: string): Promise<void> {
    const bridge = bridgeName(key);
    if ((await linkNames(this.ip, ['dev', bridge])).length > 0) return;
    await ipBatch(this.ip, [`link add ${bridge} type bridge`]);
    try {
      // No IPv6 on the bridge: instances reach the host only at the gateway's and Clary's IPv4 addresses.
      await writeFile(`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, '1').catch(() => undefined);
      await ipBatch(this.ip, [`addr add ${addressOf(key, GATEWAY_HOST)}/24 dev ${bridge}`, `link set ${bridge} up`]);
    } catch (e) {
      await ipBatchForce(this.ip, [`link del ${bridge}`]);
      throw e;
    }
  }

  private hostOf(key: string, network: string, address: string): number {
    const subnet = subnetOfKey(key);
    const ip = parseIpv4(address);
    const host = ip - subnet.base;
    if (!contains(subnet, ip) || host < FIRST_HOST || host > LAST_HOST) {
      throw new Error(`address ${address} is not an instance address of network ${network} (${formatCidr(subnet)}: .${FIRST_HOST} to .${LAST_HOST})`);
    }
    return host;
  }

  /** The highest address no instance holds (reserve() hands out from the bottom). */
  private async freeHost(key: string): Promise<number> {
    const taken = new Set((await netnsNames(this.ip)).map(parseNetnsName).filter((p) => p?.key === key).map((p) => p!.host));
    for (let h = LAST_HOST; h >= FIRST_HOST; h--) if (!taken.has(h)) return h;
    throw new Error(`no free address left on ${formatCidr(subnetOfKey(key))}`);
  }

  private async removeInstance(att: NetworkAttachment): Promise<void> {
    await ipBatchForce(this.ip, [`link del ${att.hostVeth}`, `netns del ${att.netns}`]);
    const left = await this.residue(att);
    if (left.length > 0) throw new Error(`cannot remove ${left.join(' and ')} of ${att.address}`);
  }

  private async removeNetworkIfEmpty(key: string): Promise<void> {
    const bridge = bridgeName(key);
    if ((await linkNames(this.ip, ['master', bridge])).length > 0) return;
    await ipBatchForce(this.ip, [`link del ${bridge}`]);
    if ((await linkNames(this.ip, ['dev', bridge])).length > 0) throw new Error(`cannot remove bridge ${bridge}`);
    const claim = await this.claims.read(key);
    if (this.sweepable(claim)) await this.claims.release(key);
    for (const [n, k] of this.keys) if (k === key) this.keys.delete(n);
  }

  private locked<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(name) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(name, tail);
    void tail.then(() => {
      if (this.locks.get(name) === tail) this.locks.delete(name);
    });
    return next;
  }
}
