import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContainerEngine, type ContainerEngine } from '../../src/engine/index.js';
import { ContainerRunner, type ContainerHandle } from '../../src/runners/container/index.js';
import type { InstanceSpec } from '../../src/runners/runner.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';

/** What a containerised endpoint needs: a server on 8080 inside, reached on a published loopback port. */
const skipReason = podmanSkipReason();

describe.skipIf(skipReason !== '')(`container runner: published ports${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let base: string;
  let engine: ContainerEngine;
  let runner: ContainerRunner;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'clary-ports-'));
    engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, base);
    runner = new ContainerRunner({ engine: async () => engine.docker, defaultImage: await busyboxImage(), namePrefix: `p${process.pid}-` });
  });
  afterAll(async () => {
    for (const c of (await runner?.list().catch(() => [])) ?? []) await engine.docker.getContainer(c.containerId).remove({ force: true }).catch(() => undefined);
    await engine?.close();
    await rm(base, { recursive: true, force: true });
  });

  const spec = (id: string, extra: object): InstanceSpec =>
    ({ id, command: ['/bin/sh', '-c', 'mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 8080 -h /www'], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 128 * 1024 ** 2 }, network: { mode: 'host' }, ...extra }) as InstanceSpec;

  it('serves on 8080 inside, reached on the host port the engine picked (in the handle)', async () => {
    const inst = await runner.start(spec('serve-1', { publish: [{ containerPort: 8080, hostPort: 0 }] }));
    try {
      const port = (inst.handle as ContainerHandle).ports?.['8080'];
      expect(port).toBeGreaterThan(0);
      let body = '';
      for (let i = 0; i < 100 && body !== 'pong\n'; i++) {
        body = await fetch(`http://127.0.0.1:${port}/ping`).then((r) => r.text(), () => '');
        if (body !== 'pong\n') await sleep(100);
      }
      expect(body).toBe('pong\n');
      expect(await inst.stop(5_000)).toMatchObject({ signal: 'SIGTERM' });
    } finally {
      await runner.cleanup(inst.handle);
    }
  });

  it('refuses to publish ports without the network', async () => {
    await expect(runner.start(spec('serve-2', { publish: [{ containerPort: 8080, hostPort: 0 }], network: { mode: 'none' } }))).rejects.toThrow(/only be published with network mode host/);
  });
});
