import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateDomainCommand, CreateSpaceCommand, DeleteSpaceCommand, SageMakerClient, UpdateSpaceCommand } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../test/support/server.js';

const exec = promisify(execFile);

/**
 * What a space's own volume costs (docs/studio.md, "Space storage"): CreateSpace with a 5 GB
 * volume (sparse image, mkfs.ext4, loop mount) against CreateSpace of a plain directory
 * (CLARY_SPACE_VOLUMES=directory), p50 of 10 each, alternately, through the JS SDK; UpdateSpace
 * 5 → 6 GB and DeleteSpace on the volume. Also mkfs.ext4 alone on a sparse 5 GiB image with
 * Clary's options (lazy inode tables and journal) and with mkfs's defaults (journal zeroed), and
 * the bytes each leaves on the host. Needs root.
 */
const RUNS = 10;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => +x.toFixed(1);
const time = async (f: () => Promise<unknown>) => {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
};

async function mkfs(dir: string, options: string[]): Promise<{ ms: number; bytes: number }> {
  const image = join(dir, `m-${Math.random().toString(16).slice(2)}.img`);
  await writeFile(image, '');
  await truncate(image, 5 * 1024 ** 3);
  const ms = await time(() => exec('mkfs.ext4', ['-q', '-F', '-m', '0', ...options, image]));
  const bytes = (await stat(image)).blocks * 512;
  await rm(image);
  return { ms, bytes };
}

export async function run() {
  if (process.getuid?.() !== 0) throw new Error('space-volumes: needs root (loop mounts)');
  const servers: TestServer[] = [];
  const scratch = await mkdtemp(join(tmpdir(), 'clary-bench-mkfs-'));
  try {
    const loop = await startTestServer({ spaceVolumes: 'loop' });
    servers.push(loop);
    const plain = await startTestServer({ spaceVolumes: 'directory' });
    servers.push(plain);
    const clients = [loop, plain].map((s) => new SageMakerClient(s.clientConfig));
    const domains: string[] = [];
    for (const c of clients) domains.push((await c.send(new CreateDomainCommand({ DomainName: 'bench', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/R' } }))).DomainId!);
    const create = (i: number, name: string) => clients[i]!.send(new CreateSpaceCommand({ DomainId: domains[i], SpaceName: name, SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 5 } } } }));
    await create(0, 'warm');
    await create(1, 'warm');
    const withVolume: number[] = [];
    const plainDir: number[] = [];
    const grow: number[] = [];
    const remove: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      withVolume.push(await time(() => create(0, `s${i}`)));
      plainDir.push(await time(() => create(1, `s${i}`)));
    }
    for (let i = 0; i < RUNS; i++) {
      grow.push(await time(() => clients[0]!.send(new UpdateSpaceCommand({ DomainId: domains[0], SpaceName: `s${i}`, SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 6 } } } }))));
    }
    for (let i = 0; i < RUNS; i++) {
      remove.push(await time(() => clients[0]!.send(new DeleteSpaceCommand({ DomainId: domains[0], SpaceName: `s${i}` }))));
      await clients[1]!.send(new DeleteSpaceCommand({ DomainId: domains[1], SpaceName: `s${i}` }));
    }
    for (const [i, c] of clients.entries()) {
      await c.send(new DeleteSpaceCommand({ DomainId: domains[i], SpaceName: 'warm' }));
      c.destroy();
    }
    const lazy: { ms: number; bytes: number }[] = [];
    const eager: { ms: number; bytes: number }[] = [];
    for (let i = 0; i < 5; i++) {
      lazy.push(await mkfs(scratch, ['-E', 'lazy_itable_init=1,lazy_journal_init=1']));
      eager.push(await mkfs(scratch, []));
    }
    return {
      name: 'space-volumes',
      runs: RUNS,
      createSpaceWithVolumeMsP50: round(p50(withVolume)),
      createSpacePlainDirectoryMsP50: round(p50(plainDir)),
      volumeAddedMsP50: round(p50(withVolume) - p50(plainDir)),
      ratio: +(p50(withVolume) / p50(plainDir)).toFixed(2),
      growSpace5to6GbMsP50: round(p50(grow)),
      deleteSpaceWithVolumeMsP50: round(p50(remove)),
      mkfsClaryOptionsMsP50: round(p50(lazy.map((x) => x.ms))),
      mkfsDefaultOptionsMsP50: round(p50(eager.map((x) => x.ms))),
      imageBytesClaryOptions: p50(lazy.map((x) => x.bytes)),
      imageBytesDefaultOptions: p50(eager.map((x) => x.bytes)),
    };
  } finally {
    for (const s of servers) await s.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
