import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { openContainerEngine, type ContainerEngine } from '../../src/engine/index.js';
import { asContainerHandle, ContainerRunner } from '../../src/runners/container/index.js';
import type { InstanceHandle } from '../../src/runners/runner.js';
import { runnerContract, type RunnerFixture } from '../../src/runners/runner.contract.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';

const skipReason = podmanSkipReason();
const prefix = `t${process.pid}-`;

/** A Podman service of its own (as Clary starts it), a busybox image, runners that share both. */
async function fixture(): Promise<RunnerFixture> {
  const base = await mkdtemp(join(tmpdir(), 'clary-ctr-'));
  const hiddenDir = join(base, 'data');
  const image = await busyboxImage();
  const engine: ContainerEngine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, base);
  const makeRunner = () => new ContainerRunner({ engine: async () => engine.docker, defaultImage: image, namePrefix: prefix });
  return {
    hiddenDir,
    makeRunner,
    // Podman's Docker API adds TERM=xterm to every container (Docker does not); it cannot be unset there.
    engineAddedEnv: ['TERM'],
    async lose(handle: InstanceHandle) {
      await engine.docker.getContainer(asContainerHandle(handle).containerId).remove({ force: true });
    },
    async residue(handle: InstanceHandle) {
      const h = asContainerHandle(handle);
      const found = await engine.docker.getContainer(h.containerId).inspect().then(() => true, () => false);
      return found ? [`container ${h.name}`] : [];
    },
    async teardown() {
      for (const c of await makeRunner().list()) await engine.docker.getContainer(c.containerId).remove({ force: true }).catch(() => undefined);
      await engine.close();
      await rm(base, { recursive: true, force: true });
    },
  };
}

describe.skipIf(skipReason !== '')(`container runner${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  runnerContract('container (Podman through the Docker API)', fixture);
});
