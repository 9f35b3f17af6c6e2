/**
 * Each space has its own storage (docs/studio.md, "Space storage"): an ext4 image of its
 * EbsVolumeSizeInGb loop-mounted on its directory, so writing past the size fails with ENOSPC for
 * the space's user. Through @aws-sdk/client-sagemaker, with real loop mounts (root only).
 */
import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateDomainCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteDomainCommand, DeleteSpaceCommand, DeleteUserProfileCommand,
  DescribeSpaceCommand, ListSpacesCommand, SageMakerClient, UpdateSpaceCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMounts, mountAt, unmountAllUnder } from '../../src/studio/mounts.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const GiB = 1024 ** 3;
// Loop mounts need root, /dev/loop-control and e2fsprogs (scripts/prepare.mjs installs it).
const isRoot = process.getuid?.() === 0 && existsSync('/dev/loop-control') && existsSync('/usr/sbin/mkfs.ext4');
const ROLE = 'arn:aws:iam::000000000000:role/StudioDefault';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: { name: string; message: string }) => e);
const sizeOfFs = async (dir: string) => { const s = await statfs(dir); return s.blocks * s.bsize; };
/**
 * Runs a command as the space's user, as its app's kernel would (uid, gid 1001, no groups), in the
 * space's directory (entered as root: the test's data dir is 0700 root, the app's sandbox binds it instead).
 */
const asUser = (uid: string, dir: string, cmd: string[]) => run('setpriv', [`--reuid=${uid}`, '--regid=1001', '--clear-groups', ...cmd], { cwd: dir });

describe('space storage as plain directories (CLARY_SPACE_VOLUMES=directory)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ spaceVolumes: 'directory' });
  });
  afterAll(async () => server?.close());

  it('records and reports the size, mounts nothing, and still refuses sizes above the maximum', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    try {
      const { DomainId } = await sm.send(new CreateDomainCommand({ DomainName: 'plain', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE } }));
      await sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'plain', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 7 } } } }));
      expect((await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'plain' }))).SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(7);
      const dir = join(server.dataDir, 'studio', DomainId!, 'spaces', 'plain');
      expect((await stat(dir)).isDirectory()).toBe(true);
      expect(await mountAt(dir)).toBeUndefined();
      await sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'plain', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 8 } } } }));
      expect((await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'plain' }))).SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(8);
      // No domain settings: SageMaker's maximum, 100 GB.
      const over = await fail(sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'plain', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 101 } } } })));
      expect([over.name, over.message.includes('MaximumEbsVolumeSizeInGb of 100')]).toEqual(['ValidationException', true]);
      await sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'plain' }));
      await expect(stat(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      sm.destroy();
    }
  });
});

describe.skipIf(!isRoot)('space storage (loop-mounted volumes)', () => {
  let dataDir: string;
  let server: TestServer;
  let sm: SageMakerClient;
  let DomainId: string;
  let uid: string;
  const spaceDir = (name: string) => join(dataDir, 'studio', DomainId, 'spaces', name);
  const image = (name: string) => join(dataDir, 'studio', DomainId, 'space-images', `${name}.img`);
  const start = async (spaceVolumes?: string) => {
    server = await startTestServer({ dataDir, spaceVolumes });
    sm = new SageMakerClient(server.clientConfig);
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clary-space-storage-'));
    await start();
    const d = await sm.send(new CreateDomainCommand({
      DomainName: 'storage', AuthMode: 'IAM',
      DefaultUserSettings: { ExecutionRole: ROLE, SpaceStorageSettings: { DefaultEbsStorageSettings: { DefaultEbsVolumeSizeInGb: 5, MaximumEbsVolumeSizeInGb: 8 } } },
    }));
    DomainId = d.DomainId!;
    await sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'alice' }));
  });
  afterAll(async () => {
    sm?.destroy();
    await server?.close();
    // Whatever failed above, leave no mount behind.
    if (dataDir) {
      await unmountAllUnder(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a 5 GB space takes 100 MB and refuses 6 GiB with ENOSPC; grows to 6 GB keeping its files; survives a restart; goes with DeleteSpace', async () => {
    const { SpaceArn } = await sm.send(new CreateSpaceCommand({
      DomainId, SpaceName: 'work', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'alice' },
      SpaceSettings: { AppType: 'JupyterServer', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 5 } } },
    }));
    const described = await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'work' }));
    expect(described.SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(5);
    uid = described.HomeEfsFileSystemUid!;

    const mount = await mountAt(spaceDir('work'));
    expect(mount).toMatchObject({ fstype: 'ext4' });
    expect(mount!.source).toMatch(/^\/dev\/loop\d+$/);
    const size = await sizeOfFs(spaceDir('work'));
    expect(size).toBeGreaterThan(4.5 * GiB);
    expect(size).toBeLessThanOrEqual(5 * GiB);
    // The volume's root is the space's directory: the owner's uid, gid 1001, 0700.
    const root = await stat(spaceDir('work'));
    expect([root.uid, root.gid, root.mode & 0o7777]).toEqual([Number(uid), 1001, 0o700]);
    // The image is sparse: it holds what is written, not its size.
    expect((await stat(image('work'))).blocks * 512).toBeLessThan(200 * 1024 ** 2);

    await asUser(uid, spaceDir('work'), ['fallocate', '-l', '100M', 'data.bin']);
    expect((await stat(join(spaceDir('work'), 'data.bin'))).size).toBe(100 * 1024 ** 2);
    const tooBig = await fail(asUser(uid, spaceDir('work'), ['fallocate', '-l', '6G', 'big.bin']));
    expect(tooBig.message).toMatch(/No space left on device/);
    await rm(join(spaceDir('work'), 'big.bin'), { force: true });

    // Grow online to 6 GB: files kept.
    await sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'work', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 6 } } } }));
    expect(await sizeOfFs(spaceDir('work'))).toBeGreaterThan(5.5 * GiB);
    expect((await stat(join(spaceDir('work'), 'data.bin'))).size).toBe(100 * 1024 ** 2);
    const updated = await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'work' }));
    expect(updated.SpaceSettings).toMatchObject({ AppType: 'JupyterServer', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 6 } } });
    expect((await sm.send(new ListSpacesCommand({ DomainIdEquals: DomainId }))).Spaces?.find((s) => s.SpaceName === 'work')?.SpaceSettingsSummary?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(6);
    // Now 5.5 GiB fit where 6 GiB did not before.
    await asUser(uid, spaceDir('work'), ['fallocate', '-l', '5500M', 'big.bin']);
    await rm(join(spaceDir('work'), 'big.bin'));

    // Shrinking and going past the maximum (8, the domain's) are refused; the size stays 6.
    const shrink = await fail(sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'work', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 5 } } } })));
    expect(shrink.name).toBe('ValidationException');
    expect(shrink.message).toMatch(/cannot be decreased/);
    const over = await fail(sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'work', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 9 } } } })));
    expect(over.name).toBe('ValidationException');
    expect(over.message).toContain('MaximumEbsVolumeSizeInGb of 8');
    expect((await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'work' }))).SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(6);
    // The same through the AWS CLI.
    const cli = await run('aws', ['sagemaker', 'update-space', '--domain-id', DomainId, '--space-name', 'work', '--space-settings', '{"SpaceStorageSettings":{"EbsStorageSettings":{"EbsVolumeSizeInGb":4000}}}'], { env: server.env })
      .then(() => '', (e: { stderr: string }) => e.stderr);
    expect(cli).toMatch(/ValidationException.*MaximumEbsVolumeSizeInGb of 8/s);
    const shown = JSON.parse((await run('aws', ['sagemaker', 'describe-space', '--domain-id', DomainId, '--space-name', 'work', '--output', 'json'], { env: server.env })).stdout) as { SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: number } } } };
    expect(shown.SpaceSettings.SpaceStorageSettings.EbsStorageSettings.EbsVolumeSizeInGb).toBe(6);

    // Restart: the idle volume is unmounted when Clary stops and mounted again when it starts, files there.
    sm.destroy();
    await server.close();
    expect(await mountAt(spaceDir('work'))).toBeUndefined();
    // Switched to plain directories: a space that has a volume keeps it (its files are there).
    await start('directory');
    expect((await mountAt(spaceDir('work')))?.fstype).toBe('ext4');
    expect((await stat(join(spaceDir('work'), 'data.bin'))).size).toBe(100 * 1024 ** 2);
    sm.destroy();
    await server.close();
    // As a crashed Clary would leave it: the volume still mounted. The next Clary keeps that mount (no second one).
    await run('mount', ['-o', 'loop', image('work'), spaceDir('work')]);
    const left = (await mountAt(spaceDir('work')))!.source;
    await start();
    expect((await mountAt(spaceDir('work')))).toMatchObject({ fstype: 'ext4', source: left });
    expect((await listMounts()).filter((m) => m.target === spaceDir('work'))).toHaveLength(1);
    expect(await sizeOfFs(spaceDir('work'))).toBeGreaterThan(5.5 * GiB);
    expect((await stat(join(spaceDir('work'), 'data.bin'))).size).toBe(100 * 1024 ** 2);

    await sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'work' }));
    expect(await mountAt(spaceDir('work'))).toBeUndefined();
    await expect(stat(image('work'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(spaceDir('work'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(SpaceArn).toContain('/work');
  }, 240_000);

  it('defaults to the domain default size, refuses a size above the maximum, and DeleteDomain (Delete) leaves no mount', async () => {
    // No size given: the domain's DefaultEbsVolumeSizeInGb (5), reported by DescribeSpace and enforced.
    await sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'team', SpaceSettings: { AppType: 'JupyterLab' } }));
    const team = await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'team' }));
    expect(team.SpaceSettings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(5);
    expect((await mountAt(spaceDir('team')))?.fstype).toBe('ext4');
    // A shared space's root: root:1001, 2770 (setgid), as its directory was.
    const root = await stat(spaceDir('team'));
    expect([root.uid, root.gid, root.mode & 0o7777]).toEqual([0, 1001, 0o2770]);

    const over = await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'huge', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 9 } } } })));
    expect(over.name).toBe('ValidationException');
    expect(over.message).toContain('MaximumEbsVolumeSizeInGb of 8');
    await expect(stat(spaceDir('huge'))).rejects.toMatchObject({ code: 'ENOENT' });
    // Below the model's minimum (5): the model's own validation.
    expect((await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'tiny', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 4 } } } })))).name).toBe('ValidationException');

    await sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'team' }));
    await sm.send(new DeleteUserProfileCommand({ DomainId, UserProfileName: 'alice' }));
    await sm.send(new DeleteDomainCommand({ DomainId, RetentionPolicy: { HomeEfsFileSystem: 'Delete' } }));
    expect(await mountAt(spaceDir('team'))).toBeUndefined();
    await expect(stat(join(dataDir, 'studio', DomainId))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
