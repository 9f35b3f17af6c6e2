import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openContainerEngine } from '../src/engine/index.js';
import { ContainerRunner } from '../src/runners/container/index.js';
import type { NetworkSpec } from '../src/runners/index.js';
import { openPrivateNetworks } from '../src/runners/network/index.js';
import { busyboxImage, podmanSkipReason } from '../test/support/busybox-image.js';

/**
 * What a private network adds to starting a container (docs/networking.md): start() → first line
 * of `echo hi` in a busybox container through the container runner (Podman's Docker API), p50 of
 * 10, on the host's network and on a private network (namespace, veth, addresses and route made
 * first, then NetworkMode ns:<path>), measured alternately in the same run. One instance keeps
 * the network's bridge up, as a job's other hosts do: the per-instance cost is measured.
 * attachDetachMsP50: the namespace's creation and removal alone, without a container.
 * Needs root, Podman, runc, catatonit and busybox-static.
 */
const RUNS = 10;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run() {
  const skip = podmanSkipReason();
  if (skip) throw new Error(`container-network-start: ${skip}`);
  const base = await mkdtemp(join(tmpdir(), 'clary-bench-ctrnet-'));
  const image = await busyboxImage();
  const engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, base);
  const opened = await openPrivateNetworks({ owner: base });
  if (!opened.networks) throw new Error(`container-network-start: ${opened.reason}`);
  const runner = new ContainerRunner({ engine: async () => engine.docker, defaultImage: image, namePrefix: `bench-${process.pid}-`, networks: opened.networks });
  let n = 0;
  const firstLine = async (network: NetworkSpec, command = ['echo', 'hi']) => {
    const t0 = performance.now();
    let first!: (ms: number) => void;
    const line = new Promise<number>((resolve) => (first = resolve));
    const inst = await runner.start({ id: `s${++n}`, command, env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 128 * 1024 ** 2 }, network, onStdout: () => first(performance.now() - t0) });
    const ms = await line;
    await inst.wait();
    await runner.cleanup(inst.handle);
    return ms;
  };
  const host: number[] = [];
  const onNetwork: number[] = [];
  // The namespace work alone (what the runner adds before Podman's create), for scale: Podman's own start varies by more.
  const attach: number[] = [];
  const network: NetworkSpec = { mode: 'private', network: 'bench' };
  const anchor = await runner.start({ id: 'anchor', command: ['sleep', '600'], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 64 * 1024 ** 2 }, network });
  try {
    await firstLine({ mode: 'host' });
    await firstLine(network);
    for (let i = 0; i < RUNS; i++) {
      host.push(await firstLine({ mode: 'host' }));
      onNetwork.push(await firstLine(network));
      const t0 = performance.now();
      await opened.networks.detach(await opened.networks.attach('bench'));
      attach.push(performance.now() - t0);
    }
  } finally {
    await anchor.kill().catch(() => undefined);
    await runner.cleanup(anchor.handle).catch(() => undefined);
    await engine.close();
    await rm(base, { recursive: true, force: true });
  }
  const round = (x: number) => +x.toFixed(1);
  return {
    name: 'container-network-start',
    runs: RUNS,
    hostNetworkMsP50: round(p50(host)),
    privateNetworkMsP50: round(p50(onNetwork)),
    privateNetworkAddedMsP50: round(p50(onNetwork) - p50(host)),
    ratio: +(p50(onNetwork) / p50(host)).toFixed(3),
    attachDetachMsP50: round(p50(attach)),
  };
}
