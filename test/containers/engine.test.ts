import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/core/config.js';
import { formatImagesList, imagesBuild, imagesList } from '../../src/cli/images.js';
import { openContainerEngine, ping, PodmanService } from '../../src/engine/index.js';
import { NOT_FOUND_MESSAGE, resolveImage } from '../../src/images/index.js';
import { startTestServer } from '../support/server.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';

const skipReason = podmanSkipReason();
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSafe(`/proc/${pid}/stat`).includes(') Z ');
function readFileSafe(p: string): string {
  try {
    return execFileSync('cat', [p], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

describe.skipIf(skipReason !== '')(`the container engine${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let base: string;
  let image: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'clary-engine-'));
    image = await busyboxImage();
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('Clary does not start Podman when it starts: only a job that needs the container lane does', async () => {
    const server = await startTestServer();
    try {
      expect(existsSync(join(server.dataDir, 'podman.sock'))).toBe(false);
      expect(existsSync(join(server.dataDir, 'podman.pid'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("starts Podman with Clary's containers.conf, answers /_ping, and stops it with nothing left", async () => {
    const dir = join(base, 'a');
    execFileSync('mkdir', ['-p', dir]);
    const engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, dir);
    const pid = Number((await readFile(join(dir, 'podman.pid'), 'utf8')).trim());
    expect(engine.owned).toBe(true);
    expect(await ping(join(dir, 'podman.sock'))).toBe(true);
    const conf = await readFile(join(dir, 'containers.conf'), 'utf8');
    expect(conf).toContain('runtime = "runc"');
    expect(conf).toContain('default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]');
    expect((await engine.docker.version()).Components?.some((c) => /podman/i.test(c.Name))).toBe(true);
    await engine.close();
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(dir, 'podman.sock'))).toBe(false);
    expect(existsSync(join(dir, 'podman.pid'))).toBe(false);
  });

  it('a service left by a Clary that died is ended before a new one starts on the same socket', async () => {
    const dir = join(base, 'b');
    execFileSync('mkdir', ['-p', dir]);
    const paths = { socketPath: join(dir, 'podman.sock'), confPath: join(dir, 'containers.conf'), pidFile: join(dir, 'podman.pid'), logFile: join(dir, 'podman.log') };
    const first = new PodmanService(paths);
    await first.start();
    const stale = first.pid!;
    // A second Clary on the same data dir, the first one gone without stopping its service.
    const second = new PodmanService(paths);
    await second.start();
    try {
      expect(second.pid).not.toBe(stale);
      expect(alive(stale)).toBe(false);
      expect(await ping(paths.socketPath)).toBe(true);
    } finally {
      await second.stop();
      await first.stop();
    }
    expect(alive(second.pid ?? 0)).toBe(false);
  });

  it('resolves image URIs to local tags in the documented order, and fails fast for what is not here', async () => {
    const dir = join(base, 'c');
    execFileSync('mkdir', ['-p', dir]);
    const engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, dir);
    const full = '123456789012.dkr.ecr.us-east-1.amazonaws.com/clary-test/resolve:v1';
    try {
      execFileSync('podman', ['tag', image, 'clary-test/resolve:v1']);
      const bare = await resolveImage(engine.docker, full);
      expect(bare).toMatchObject({ ok: true, local: 'clary-test/resolve:v1', pulled: false });
      execFileSync('podman', ['tag', image, full]);
      expect(await resolveImage(engine.docker, full)).toMatchObject({ ok: true, local: full });
      const missing = await resolveImage(engine.docker, '123456789012.dkr.ecr.us-east-1.amazonaws.com/clary-test/absent:v9', { reachable: async () => true });
      expect(missing.ok).toBe(false);
      expect(!missing.ok && missing.reason).toContain(NOT_FOUND_MESSAGE);
      expect(!missing.ok && missing.tried).toEqual([
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/clary-test/absent:v9',
        'clary-test/absent:v9',
        'localhost/clary-test/absent:v9',
      ]);
      const listing = await imagesList(compileConfig({ dataDir: dir }, {}));
      expect(listing.engine).toContain(`the running Clary's Podman on ${join(dir, 'podman.sock')}`);
      expect(formatImagesList(listing)).toContain('localhost/clary-test/resolve:v1');
      expect(listing.lanes.find((l) => l.framework === 'sklearn')).toMatchObject({ lane: 'process' });
    } finally {
      spawnSync('podman', ['rmi', 'clary-test/resolve:v1', full], { stdio: 'ignore' });
      await engine.close();
    }
  });
});

describe.skipIf(skipReason !== '')(`clary images build${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('builds from a local base image, and a TrainingImage URI then finds it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clary-build-'));
    const tag = `clary-test/built:${process.pid}`;
    try {
      const base = await busyboxImage();
      await writeFile(join(dir, 'Containerfile'), `FROM ${base}\nCOPY train /usr/bin/train\nRUN chmod 755 /usr/bin/train\nENTRYPOINT ["/usr/bin/train"]\n`);
      await writeFile(join(dir, 'train'), '#!/bin/sh\necho trained\n');
      const lines: string[] = [];
      const id = await imagesBuild(compileConfig({ dataDir: dir }, {}), { context: dir, tag, onOutput: (l) => lines.push(l) });
      expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(lines.join('\n')).toContain('COPY train /usr/bin/train');
      const engine = await openContainerEngine({ dockerHost: undefined, startPodman: true, podmanPath: 'podman' }, dir);
      try {
        const found = await resolveImage(engine.docker, `123456789012.dkr.ecr.us-east-1.amazonaws.com/${tag}`);
        expect(found).toMatchObject({ ok: true, id });
        expect((await engine.docker.getImage(id).inspect()).Config.Entrypoint).toEqual(['/usr/bin/train']);
      } finally {
        await engine.close();
      }
      await expect(imagesBuild(compileConfig({ dataDir: dir }, {}), { context: dir, tag, file: 'Nope' })).rejects.toThrow(/no Nope in/);
    } finally {
      spawnSync('podman', ['rmi', '-f', tag], { stdio: 'ignore' });
      await rm(dir, { recursive: true, force: true });
    }
  });
});
