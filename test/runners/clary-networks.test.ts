// Clary's side of private networks: at start it sweeps what a crashed run left in its data dir's
// networks, and serves its port on the service address for the instances.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PrivateNetworks, SERVICE_ADDRESS } from '../../src/runners/network/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const canNetwork = process.getuid?.() === 0 && spawnSync('ip', ['-V']).status === 0 && spawnSync('nsenter', ['--version']).status === 0;

function kernelNames(): string[] {
  const ns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout.split('\n').map((l) => l.split(' ')[0]!);
  const links = (JSON.parse(spawnSync('ip', ['-j', 'link'], { encoding: 'utf8' }).stdout) as { ifname: string }[]).map((l) => l.ifname);
  return [...ns, ...links].filter(Boolean);
}

describe.skipIf(!canNetwork)("Clary's private networks", () => {
  let server: TestServer | undefined;
  let dataDir = '';
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('start sweeps the namespaces, veths and bridges a crashed run of this data dir left, then serves its port on the service address', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clary-netsweep-'));
    // What a Clary killed mid-job leaves: a network with an instance namespace nobody runs in.
    const crashed = await new PrivateNetworks({ owner: dataDir }).attach('crashed-job');
    expect(kernelNames()).toEqual(expect.arrayContaining([crashed.netns, crashed.hostVeth, crashed.bridge]));
    server = await startTestServer({ dataDir });
    const names = kernelNames();
    for (const gone of [crashed.netns, crashed.hostVeth, crashed.bridge]) expect(names).not.toContain(gone);
    const res = await fetch(`http://${SERVICE_ADDRESS}:${server.app.port}/_clary/health`);
    expect(res.status).toBe(200);
  });
});
