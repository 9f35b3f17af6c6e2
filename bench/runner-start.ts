import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProcessRunner, type NetworkSpec } from '../src/runners/index.js';
import { openPrivateNetworks } from '../src/runners/network/index.js';

/**
 * What the process lane adds to starting an instance: spawn → first line of output of
 * `/bin/echo hi`, p50 of 20, for a bare child process and for a full sandboxed instance (cgroup
 * created, detached supervisor, bubblewrap namespaces and mounts, output read back from the run
 * dir's files), measured alternately in the same run. Needs root and bubblewrap. The same on a
 * private network (network namespace, veth into a bridge, addresses and route: docs/networking.md).
 */
const RUNS = 20;

function bareFirstLine(): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/echo', ['hi'], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.once('data', () => resolve(performance.now() - t0));
    child.once('error', reject);
  });
}

async function sandboxFirstLine(runner: ProcessRunner, id: string, network: NetworkSpec = { mode: 'none' }): Promise<number> {
  const t0 = performance.now();
  let first!: (ms: number) => void;
  const line = new Promise<number>((resolve) => (first = resolve));
  const inst = await runner.start({
    id,
    command: ['/bin/echo', 'hi'],
    env: {},
    mounts: [],
    limits: { vcpus: 1, memoryBytes: 256 * 1024 ** 2 },
    network,
    onStdout: () => first(performance.now() - t0),
  });
  const ms = await line;
  await inst.wait();
  await runner.cleanup(inst.handle);
  return ms;
}

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run() {
  if (process.getuid?.() !== 0) throw new Error('runner-start needs root (cgroups, bubblewrap)');
  const runRoot = await mkdtemp(join(tmpdir(), 'clary-bench-runs-'));
  const opened = await openPrivateNetworks({ owner: runRoot });
  const runner = new ProcessRunner({ runRoot, groupPrefix: `bench-${process.pid}-`, networks: opened.networks });
  const bare: number[] = [];
  const sandbox: number[] = [];
  const onNetwork: number[] = [];
  // One instance keeps the network's bridge up, as a job's other hosts do: the per-instance cost is measured.
  const network: NetworkSpec = { mode: 'private', network: 'bench' };
  const anchor = opened.networks ? await runner.start({ id: 'anchor', command: ['/bin/sleep', '600'], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 64 * 1024 ** 2 }, network }) : undefined;
  try {
    await bareFirstLine();
    await sandboxFirstLine(runner, 'warmup');
    for (let i = 0; i < RUNS; i++) {
      bare.push(await bareFirstLine());
      sandbox.push(await sandboxFirstLine(runner, `b${i}`));
      if (opened.networks) onNetwork.push(await sandboxFirstLine(runner, `p${i}`, network));
    }
  } finally {
    if (anchor) {
      await anchor.kill();
      await runner.cleanup(anchor.handle);
    }
    await rm(runRoot, { recursive: true, force: true });
  }
  const round = (n: number) => +n.toFixed(2);
  return {
    name: 'runner-start',
    runs: RUNS,
    bareMsP50: round(p50(bare)),
    sandboxMsP50: round(p50(sandbox)),
    addedMsP50: round(p50(sandbox) - p50(bare)),
    ...(onNetwork.length > 0 ? { privateNetworkMsP50: round(p50(onNetwork)), privateNetworkAddedMsP50: round(p50(onNetwork) - p50(sandbox)) } : { privateNetwork: opened.reason }),
  };
}
