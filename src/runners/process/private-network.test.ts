// Private networks in the process lane, for real: network namespaces, veths, a bridge per network,
// bubblewrap sandboxes started inside them, TCP between them and to a host server through
// Clary's service address (docs/networking.md).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupStale, detectCgroupLayout, openInstanceCgroup } from '../../compute/cgroups/index.js';
import { openPrivateNetworks } from '../network/open-networks.js';
import { PrivateNetworks } from '../network/private-networks.js';
import { SERVICE_ADDRESS } from '../network/service-address.js';
import { startServiceForwarder, type ServiceForwarder } from '../network/service-forwarder.js';
import type { InstanceHandle, InstanceSpec, RunningInstance } from '../runner.js';
import { asProcessHandle } from './process-handle.js';
import { ProcessRunner } from './process-runner.js';

const layout = await detectCgroupLayout();
const isRoot = process.getuid?.() === 0;
const hasTools = existsSync('/usr/bin/bwrap') && existsSync('/usr/bin/nsenter') && spawnSync('ip', ['-V']).status === 0 && existsSync('/usr/bin/python3');
const skipReason = !isRoot ? 'needs root' : !layout ? 'no cgroups' : !hasTools ? 'needs bwrap, nsenter, ip and /usr/bin/python3' : '';
const prefix = `pn${process.pid}-`;
const MiB = 1024 ** 2;

/** Names in `ip netns list` and `ip link` now. */
function kernelNames(): string[] {
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]!);
  const links = (JSON.parse(spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout) as { ifname: string }[]).map((l) => l.ifname);
  return [...ns, ...links].filter(Boolean);
}

/** A TCP server in the sandbox: answers every connection with `reply`, prints "listening" once bound. */
const serve = (port: number, reply: string) =>
  `/usr/bin/python3 -c 'import socket,sys
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", ${port})); s.listen(); print("listening", flush=True)
while True:
    c,_=s.accept(); c.sendall(b"${reply}\\n"); c.close()'`;
/** Connects to host:port and prints the first line it gets, or FAILED and why. */
const dial = (host: string, port: number | string) =>
  `/usr/bin/python3 -c 'import socket
try:
    c=socket.create_connection(("${host}", ${port}), timeout=5); print("GOT", c.makefile().readline().strip(), flush=True)
except Exception as e:
    print("FAILED", type(e).__name__, e, flush=True)'`;

describe.skipIf(skipReason !== '')(`process runner: private networks${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let base: string;
  let networks: PrivateNetworks;
  let runner: ProcessRunner;
  let hostServer: Server;
  let forwarder: ServiceForwarder;
  let hostPort = 0;
  const handles: InstanceHandle[] = [];
  let n = 0;

  const makeRunner = (nets = networks) => new ProcessRunner({ runRoot: join(base, 'data', 'runs'), hiddenPaths: [join(base, 'data')], groupPrefix: prefix, cgroupLayout: layout, networks: nets });

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'clary-privnet-'));
    await mkdir(join(base, 'data'), { recursive: true });
    const opened = await openPrivateNetworks({ owner: base });
    if (!opened.networks) throw new Error(opened.reason);
    networks = opened.networks;
    runner = makeRunner();
    // The stand-in for Clary: a loopback server, served on the service address by the forwarder.
    hostServer = createServer((s) => s.end('hello from the host\n'));
    await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
    hostPort = (hostServer.address() as { port: number }).port;
    forwarder = await startServiceForwarder({ host: '127.0.0.1', port: hostPort });
  });
  afterAll(async () => {
    for (const h of handles) await runner?.cleanup(h).catch(() => undefined);
    await forwarder?.close();
    await new Promise((r) => hostServer?.close(r));
    await cleanupStale(prefix, { layout });
    await networks?.sweep();
    await rm(base, { recursive: true, force: true });
  });

  function spec(command: string, network: InstanceSpec['network'], extra: Partial<InstanceSpec> = {}): InstanceSpec {
    return { id: `p${++n}`, command: ['/bin/sh', '-c', command], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 256 * MiB }, network, ...extra };
  }

  async function start(s: InstanceSpec, on = runner): Promise<{ inst: RunningInstance; lines: string[] }> {
    const lines: string[] = [];
    const inst = await on.start({ ...s, onStdout: (l) => lines.push(l.text), onStderr: (l) => lines.push(l.text) });
    handles.push(inst.handle);
    return { inst, lines };
  }

  async function until(lines: string[], text: string): Promise<void> {
    for (let i = 0; !lines.includes(text); i++) {
      if (i > 1500) throw new Error(`no "${text}" in: ${lines.join(' | ')}`);
      await sleep(20);
    }
  }

  async function run(s: InstanceSpec): Promise<string[]> {
    const { inst, lines } = await start(s);
    await inst.wait();
    await runner.cleanup(inst.handle);
    return lines;
  }

  it('two instances of one network reach each other by name, and both reach the host server at the service address', async () => {
    const lease = await runner.reservePrivateNetwork('job-a', ['algo-1', 'algo-2']);
    expect(lease).toBeDefined();
    const { addresses } = lease!;
    expect(addresses['algo-1']).toMatch(/^10\.213\.\d+\.2$/);
    expect(addresses['algo-2']).toMatch(/^10\.213\.\d+\.3$/);
    const net = (host: string) => ({ mode: 'private' as const, network: 'job-a', address: addresses[host] });
    const server = await start(spec(`${serve(7777, 'hi from algo-1')} & ${dial(SERVICE_ADDRESS, hostPort)}; wait`, net('algo-1'), { hostname: 'algo-1', extraHosts: addresses }));
    await until(server.lines, 'listening');
    const client = await start(spec(`getent hosts algo-2; ${dial('algo-1', 7777)}; ${dial(SERVICE_ADDRESS, hostPort)}; cat /sys/class/net/eth0/address >/dev/null && echo HAS-ETH0`, net('algo-2'), { hostname: 'algo-2', extraHosts: addresses }));
    await client.inst.wait();
    expect(client.lines).toContain('GOT hi from algo-1');
    expect(client.lines).toContain('GOT hello from the host');
    expect(client.lines).toContain('HAS-ETH0');
    // Its own name is its address on the network (what gloo/torchrun advertise to peers).
    expect(client.lines.join('\n')).toMatch(new RegExp(`^${addresses['algo-2']!.replace(/\./g, '\\.')}\\s+algo-2`, 'm'));
    await until(server.lines, 'GOT hello from the host');
    await server.inst.kill();
    for (const i of [server.inst, client.inst]) await runner.cleanup(i.handle);
  });

  it('instances on different networks bind the same port without a clash, and cannot reach each other', async () => {
    const one = await runner.reservePrivateNetwork('job-b1', ['algo-1', 'algo-2']);
    const two = await runner.reservePrivateNetwork('job-b2', ['algo-1', 'algo-2']);
    const at = (lease: typeof one, host: string) => ({ mode: 'private' as const, network: lease!.network, address: lease!.addresses[host] });
    expect(one!.addresses['algo-1']).not.toBe(two!.addresses['algo-1']);
    const s1 = await start(spec(serve(7777, 'network one'), at(one, 'algo-1'), { hostname: 'algo-1', extraHosts: one!.addresses }));
    const s2 = await start(spec(serve(7777, 'network two'), at(two, 'algo-1'), { hostname: 'algo-1', extraHosts: two!.addresses }));
    await until(s1.lines, 'listening');
    await until(s2.lines, 'listening');
    const c1 = await run(spec(dial('algo-1', 7777), at(one, 'algo-2'), { extraHosts: one!.addresses }));
    const c2 = await run(spec(`${dial('algo-1', 7777)}; ${dial(one!.addresses['algo-1']!, 7777)}`, at(two, 'algo-2'), { extraHosts: two!.addresses }));
    expect(c1).toEqual(['GOT network one']);
    expect(c2[0]).toBe('GOT network two');
    expect(c2[1]).toMatch(/^FAILED/);
    for (const s of [s1, s2]) {
      await s.inst.kill();
      await runner.cleanup(s.inst.handle);
    }
  });

  it('a private instance reaches nothing else: not the host loopback, not the host\'s other addresses', async () => {
    // The host's own addresses (IPv4, and IPv6 outside link-local): a host service listening on the
    // wildcard address would answer there, so the instance must have no route to them at all
    // (ENETUNREACH, no server needed to tell: a routed address would be refused instead).
    const hostAddrs = (JSON.parse(spawnSync('ip', ['-j', 'addr'], { encoding: 'utf8' }).stdout) as { ifname: string; addr_info: { local: string; scope: string }[] }[])
      .filter((l) => l.ifname !== 'lo' && !l.ifname.startsWith('clb'))
      .flatMap((l) => l.addr_info.filter((a) => a.scope !== 'link').map((a) => a.local));
    expect(hostAddrs.length).toBeGreaterThan(0);
    const lines = await run(spec([dial('127.0.0.1', hostPort), ...hostAddrs.map((a) => dial(a, hostPort)), 'ip route add default dev eth0 2>/dev/null && echo ROUTE-ADDED || echo ROUTE-REFUSED'].join('; '), { mode: 'private', network: 'job-c' }));
    expect(lines).toHaveLength(2 + hostAddrs.length);
    expect(lines[0]).toMatch(/^FAILED ConnectionRefusedError/); // its own loopback, not the host's
    for (const l of lines.slice(1, -1)) expect(l).toMatch(/^FAILED .*unreachable/i);
    // No CAP_NET_ADMIN inside: the instance cannot give itself a way out.
    expect(lines.at(-1)).toBe('ROUTE-REFUSED');
  });

  it('an instance on network none reaches neither the service address nor a private network', async () => {
    const lease = await runner.reservePrivateNetwork('job-d', ['algo-1']);
    const s = await start(spec(serve(7777, 'private'), { mode: 'private', network: 'job-d', address: lease!.addresses['algo-1'] }));
    await until(s.lines, 'listening');
    const lines = await run(spec(`${dial(SERVICE_ADDRESS, hostPort)}; ${dial(lease!.addresses['algo-1']!, 7777)}`, { mode: 'none' }));
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.startsWith('FAILED'))).toBe(true);
    await s.inst.kill();
    await runner.cleanup(s.inst.handle);
  });

  it('cleanup removes the namespace and veth, and the bridge and claim with the last instance; a reattached instance too', async () => {
    const lease = await runner.reservePrivateNetwork('job-e', ['algo-1', 'algo-2']);
    const subnet = await networks.subnetOf('job-e');
    const a = await start(spec('sleep 60', { mode: 'private', network: 'job-e', address: lease!.addresses['algo-1'] }));
    const b = await start(spec('sleep 60', { mode: 'private', network: 'job-e', address: lease!.addresses['algo-2'] }));
    const na = asProcessHandle(a.inst.handle).network!;
    const nb = asProcessHandle(b.inst.handle).network!;
    expect(kernelNames()).toEqual(expect.arrayContaining([na.netns, na.hostVeth, nb.netns, nb.hostVeth, na.bridge]));
    await runner.cleanup(a.inst.handle);
    expect(kernelNames()).not.toContain(na.netns);
    expect(kernelNames()).not.toContain(na.hostVeth);
    expect(kernelNames()).toContain(na.bridge); // b still uses it
    // A restarted Clary (new runner, new network layer) reattaches b from its stored handle and cleans it up.
    b.inst.detach();
    const restarted = makeRunner(new PrivateNetworks({ owner: base }));
    const again = await restarted.reattach(JSON.parse(JSON.stringify(b.inst.handle)) as InstanceHandle);
    expect(again).toBeDefined();
    await restarted.cleanup(b.inst.handle);
    expect(kernelNames().filter((x) => [nb.netns, nb.hostVeth, na.bridge].includes(x))).toEqual([]);
    expect(await networks.subnetOf('job-e')).toBeUndefined();
    expect(subnet).toMatch(/^10\.213\.\d+\.0\/24$/);
    await restarted.cleanup(b.inst.handle); // idempotent
  });

  it('sweep removes what crashed instances left (own and dead owners\'), and keeps what a live instance uses', async () => {
    const lease = await runner.reservePrivateNetwork('job-f', ['algo-1', 'algo-2']);
    const live = await start(spec('sleep 60', { mode: 'private', network: 'job-f', address: lease!.addresses['algo-1'] }));
    const lost = await start(spec('sleep 60', { mode: 'private', network: 'job-f', address: lease!.addresses['algo-2'] }));
    // A dead owner's network: its data dir is gone, its instance was killed without cleanup.
    const deadOwner = join(base, 'gone');
    await mkdir(deadOwner);
    const orphanNets = new PrivateNetworks({ owner: deadOwner });
    const orphan = await orphanNets.attach('job-g');
    await rm(deadOwner, { recursive: true });
    // Crash: everything of `lost` dies, nothing cleans up.
    const h = asProcessHandle(lost.inst.handle);
    process.kill(h.supervisorPid, 'SIGKILL');
    await (await openInstanceCgroup(h.group, { layout })).kill();
    await lost.inst.wait();
    expect(kernelNames()).toEqual(expect.arrayContaining([h.network!.netns, h.network!.hostVeth, orphan.netns, orphan.bridge]));

    const removed = await new PrivateNetworks({ owner: base }).sweep();
    expect(removed).toEqual(expect.arrayContaining([`netns ${h.network!.netns}`, `netns ${orphan.netns}`, `bridge ${orphan.bridge}`]));
    const names = kernelNames();
    for (const gone of [h.network!.netns, h.network!.hostVeth, orphan.netns, orphan.hostVeth, orphan.bridge]) expect(names).not.toContain(gone);
    const kept = asProcessHandle(live.inst.handle).network!;
    expect(names).toEqual(expect.arrayContaining([kept.netns, kept.hostVeth, kept.bridge]));
    await live.inst.kill();
    for (const i of [live.inst, lost.inst]) await runner.cleanup(i.handle);
    expect(kernelNames().filter((x) => [kept.netns, kept.hostVeth, kept.bridge].includes(x))).toEqual([]);
  });

  it('refuses mode private without a network name, and on a runner without private networks', async () => {
    await expect(runner.start(spec('true', { mode: 'private' }))).rejects.toThrow(/needs a network name/);
    const plain = new ProcessRunner({ runRoot: join(base, 'data', 'runs'), groupPrefix: prefix, cgroupLayout: layout });
    await expect(plain.start(spec('true', { mode: 'private', network: 'x' }))).rejects.toThrow(/not available/);
    expect(await plain.reservePrivateNetwork('x', ['algo-1'])).toBeUndefined();
  });

  it('refuses an address another instance holds, leaving that instance as it was', async () => {
    const lease = await runner.reservePrivateNetwork('job-h', ['algo-1']);
    const net = { mode: 'private' as const, network: 'job-h', address: lease!.addresses['algo-1'] };
    const s = await start(spec(serve(7777, 'still here'), net));
    await until(s.lines, 'listening');
    await expect(runner.start(spec('true', net))).rejects.toThrow(/in use/);
    const other = await networks.attach('job-h');
    expect(other.address).not.toBe(net.address);
    const lines = await run(spec(dial(net.address!, 7777), { mode: 'private', network: 'job-h' }));
    expect(lines).toEqual(['GOT still here']);
    await networks.detach(other);
    await s.inst.kill();
    await runner.cleanup(s.inst.handle);
    expect(await networks.subnetOf('job-h')).toBeUndefined();
  });
});
