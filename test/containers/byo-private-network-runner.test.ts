// The container runner on private networks, below the training controller: what a restarted
// Clary finds (the namespace outlives it while the container runs), sweeps, failed starts.
// Real Podman (a service of its own) and real namespaces.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContainerEngine, type ContainerEngine } from '../../src/engine/index.js';
import { asContainerHandle, ContainerRunner } from '../../src/runners/container/index.js';
import { openPrivateNetworks, PrivateNetworks } from '../../src/runners/network/index.js';
import { InstanceSpecError, type InstanceSpec, type RunningInstance } from '../../src/runners/index.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';
import { kernelNetworkNames } from './byo-private-network-support.js';

const skipReason = podmanSkipReason() || (spawnSync('ip', ['-V']).status !== 0 ? 'needs iproute2' : '');
const prefix = `pn${process.pid}-`;
const MiB = 1024 ** 2;

describe.skipIf(skipReason !== '')(`container runner on private networks${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let base = '';
  let engine: ContainerEngine;
  let image = '';
  let networks: PrivateNetworks;
  let n = 0;
  const made: RunningInstance[] = [];
  const runner = (nets: PrivateNetworks | 'none' = networks) => new ContainerRunner({ engine: async () => engine.docker, defaultImage: image, namePrefix: prefix, networks: nets === 'none' ? undefined : nets });

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'clary-ctrnet-'));
    image = await busyboxImage();
    engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, base);
    const opened = await openPrivateNetworks({ owner: base });
    if (!opened.networks) throw new Error(opened.reason);
    networks = opened.networks;
  });
  afterAll(async () => {
    for (const i of made) await runner().cleanup(i.handle).catch(() => undefined);
    if (engine) {
      for (const c of await runner().list()) await engine.docker.getContainer(c.containerId).remove({ force: true }).catch(() => undefined);
      await engine.close();
    }
    await networks?.sweep();
    await rm(base, { recursive: true, force: true });
  });

  const spec = (command: string, network: InstanceSpec['network']): InstanceSpec => ({ id: `c${++n}`, command: ['/bin/sh', '-c', command], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 128 * MiB }, network });

  it("keeps its namespace through a sweep while it runs; a restarted Clary's runner reattaches and its cleanup removes the namespace, veth, bridge and claim", async () => {
    const lease = await runner().reservePrivateNetwork('restart-job', ['algo-1']);
    expect(lease?.addresses['algo-1']).toMatch(/^10\.213\.\d+\.2$/);
    const inst = await runner().start(spec('sleep 300', { mode: 'private', network: 'restart-job', address: lease!.addresses['algo-1'] }));
    made.push(inst);
    const att = asContainerHandle(inst.handle).network!;
    expect(att.address).toBe(lease!.addresses['algo-1']);
    expect(kernelNetworkNames()).toEqual(expect.arrayContaining([att.netns, att.hostVeth, att.bridge]));
    // The container's processes are in the namespace: `ip netns pids` sees them, so the sweep keeps it.
    expect(spawnSync('ip', ['netns', 'pids', att.netns], { encoding: 'utf8' }).stdout.trim()).not.toBe('');

    // A restarted Clary: new PrivateNetworks and runner on the same owner, sweep first, then reattach.
    const after = (await openPrivateNetworks({ owner: base })).networks!;
    const removed = await after.sweep();
    expect(removed.filter((r) => r.includes(att.key))).toEqual([]);
    expect(kernelNetworkNames()).toEqual(expect.arrayContaining([att.netns, att.hostVeth, att.bridge]));
    const again = await runner(after).reattach(JSON.parse(JSON.stringify(inst.handle)));
    expect(again).toBeDefined();
    await again!.kill();
    expect((await again!.wait()).signal).toBe('SIGKILL');
    await runner(after).cleanup(again!.handle);
    expect(kernelNetworkNames().filter((x) => x.includes(att.key))).toEqual([]);
    expect(await after.subnetOf('restart-job')).toBeUndefined();
  });

  it("detaching an attachment whose subnet another network holds now (its own went in a sweep) leaves that network's instance alone", async () => {
    const inst = await runner().start(spec('sleep 300', { mode: 'private', network: 'new-owner-job' }));
    made.push(inst);
    const att = asContainerHandle(inst.handle).network!;
    // What an old job's handle records when its subnet, swept while Clary was down, went to this job.
    await runner().cleanup({ ...JSON.parse(JSON.stringify(inst.handle)), id: 'old-job-algo-1', containerId: 'f'.repeat(64), network: { network: 'old-job', key: att.key, host: att.host } });
    expect(kernelNetworkNames()).toEqual(expect.arrayContaining([att.netns, att.hostVeth, att.bridge]));
    expect(await networks.subnetOf('new-owner-job')).toBeDefined();
    await runner().cleanup(inst.handle);
    expect(kernelNetworkNames().filter((x) => x.includes(att.key))).toEqual([]);
  });

  it("the sweep of leftover containers removes their namespaces too (recorded in the container's label)", async () => {
    const inst = await runner().start(spec('sleep 300', { mode: 'private', network: 'leftover-job' }));
    made.push(inst);
    const att = asContainerHandle(inst.handle).network!;
    expect(kernelNetworkNames()).toContain(att.netns);
    const removed = await runner().sweep(new Set());
    expect(removed).toContain(asContainerHandle(inst.handle).name);
    expect(kernelNetworkNames().filter((x) => x.includes(att.key))).toEqual([]);
  });

  it('a start that fails removes the namespace it made; without private networks the mode is refused before anything exists', async () => {
    const lease = await runner().reservePrivateNetwork('failing-job', ['algo-1']);
    const key = lease!.addresses['algo-1']!.split('.').slice(0, 3).map((o) => Number(o).toString(16).padStart(2, '0')).join('');
    const bad = { ...spec('true', { mode: 'private', network: 'failing-job', address: lease!.addresses['algo-1'] }), image: 'clary-test/not-there:1' } as InstanceSpec;
    await expect(runner().start(bad)).rejects.toThrow(/not on this machine|cannot create/);
    // The instance's namespace and veth went, and with them (its only instance) the bridge and the claim.
    expect(kernelNetworkNames().filter((x) => x.includes(key))).toEqual([]);
    expect(await networks.subnetOf('failing-job')).toBeUndefined();
    await expect(runner('none').start(spec('true', { mode: 'private', network: 'no-networks' }))).rejects.toThrow(InstanceSpecError);
    await expect(runner().start(spec('true', { mode: 'private' }))).rejects.toThrow(/needs a network name/);
    expect(await runner('none').reservePrivateNetwork('no-networks', ['algo-1'])).toBeUndefined();
  });
});
