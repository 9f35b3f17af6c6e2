import { execFile } from 'node:child_process';
import { access, chmod, chown, mkdir, readdir, rename, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { ClaryConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { mountAt, unmountAllUnder } from './mounts.js';
import { growImageOffline, growMountedVolume, VolumeBusyError } from './space-volume-resize.js';
import { createSpaceDir, domainVolume, removeDir, spaceDir, STUDIO_GID } from './volumes.js';

const run = promisify(execFile);
const GiB = 1024 ** 3;

/**
 * A space's own storage (docs/studio.md, "Space storage"): with `CLARY_SPACE_VOLUMES=loop` (the
 * default) a sparse ext4 image of EbsVolumeSizeInGb at
 *   <dataDir>/studio/<domain-id>/space-images/<space>.img   (0600 root, in a 0700 root directory)
 * loop-mounted on the space's directory, so the kernel enforces the size (ENOSPC past it). Where
 * that cannot be done (not root, no mkfs.ext4, mount refused) the space is a plain directory and a
 * warning says the size is not enforced.
 *
 * Crash safety: an image is formatted under `<space>.img.new` and renamed into place, so an
 * `<space>.img` always holds a file system; a `.new` left by a crash is made again. A mount left by
 * an earlier Clary is kept as it is. Mounting the same image again reuses its loop device
 * (util-linux does), so it is never mounted twice as two file systems.
 */
export type VolumeKind = 'loop' | 'directory';

export interface SpaceVolumeSpec {
  readonly domainId: string;
  readonly space: string;
  readonly owner: { uid: number } | 'shared';
  readonly sizeGb: number;
}

interface Env {
  readonly config: Pick<ClaryConfig, 'dataDir' | 'studio'>;
  readonly log: Logger;
}

export const spaceImagesDir = (config: Pick<ClaryConfig, 'dataDir'>, domainId: string) => join(domainVolume(config, domainId), 'space-images');
export const spaceImage = (config: Pick<ClaryConfig, 'dataDir'>, domainId: string, space: string) => join(spaceImagesDir(config, domainId), `${space.toLowerCase()}.img`);

const TOOL_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin'];
let support: Promise<string | undefined> | undefined;
/** Why loop volumes cannot be made here (undefined: they can). Checked once. */
function loopUnsupported(): Promise<string | undefined> {
  support ??= (async () => {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'Clary is not running as root';
    for (const tool of ['mkfs.ext4', 'resize2fs', 'losetup']) {
      const found = await Promise.any(TOOL_DIRS.map((d) => access(join(d, tool), constants.X_OK))).then(() => true, () => false);
      if (!found) return `${tool} is not installed (Debian package e2fsprogs / mount)`;
    }
    try {
      await access('/dev/loop-control');
    } catch {
      return 'there is no /dev/loop-control';
    }
    return undefined;
  })();
  return support;
}

let warned = false;
function warnOnce(log: Logger, reason: string): void {
  if (warned) return;
  warned = true;
  log.warn({ reason }, `space volumes are plain directories: ${reason}; EbsVolumeSizeInGb is recorded but not enforced (docs/studio.md)`);
}

/** Sets the volume's root as the space's directory must be: private 0700 owner:1001, shared 2770 root:1001. */
async function ownRoot(dir: string, owner: SpaceVolumeSpec['owner']): Promise<void> {
  if (owner === 'shared') {
    await chown(dir, 0, STUDIO_GID);
    await chmod(dir, 0o2770);
  } else {
    await chown(dir, owner.uid, STUDIO_GID);
    await chmod(dir, 0o700);
  }
}

async function makeImage(image: string, spec: SpaceVolumeSpec): Promise<void> {
  await mkdir(dirname(image), { recursive: true, mode: 0o700 });
  await chmod(dirname(image), 0o700);
  const fresh = `${image}.new`;
  await rm(fresh, { force: true });
  await writeFile(fresh, '', { mode: 0o600 });
  await truncate(fresh, spec.sizeGb * GiB);
  // -m 0: no blocks reserved for root (the space's user gets all of its size). The image is sparse and
  // new, so lazy inode-table and journal initialisation are safe (unwritten blocks read as zeros).
  await run('mkfs.ext4', ['-q', '-F', '-m', '0', '-E', 'lazy_itable_init=1,lazy_journal_init=1', '-L', spec.space.slice(0, 16), fresh]);
  await rename(fresh, image);
}

const isEmptyDir = async (dir: string) => (await readdir(dir).catch(() => [])).length === 0;

/**
 * Makes the space's storage ready (idempotent): its directory, and in loop mode its image mounted
 * there. Answers what the space got.
 */
export async function ensureSpaceVolume(env: Env, spec: SpaceVolumeSpec): Promise<VolumeKind> {
  const dir = await createSpaceDir(env.config, spec.domainId, spec.space, spec.owner);
  const image = spaceImage(env.config, spec.domainId, spec.space);
  const existed = await stat(image).then(() => true, () => false);
  // A volume made earlier holds the space's files: it is mounted even in directory mode.
  if (env.config.studio.spaceVolumes === 'directory' && !existed) return 'directory';
  const why = await loopUnsupported();
  if (why) {
    if (existed) env.log.error({ space: spec.space, domainId: spec.domainId, image, reason: why }, "cannot mount the space's volume: its files stay in the image until Clary can");
    return warnOnce(env.log, why), 'directory';
  }
  if (await mountAt(dir)) {
    await ownRoot(dir, spec.owner);
    return 'loop';
  }
  if (!existed) {
    if (!(await isEmptyDir(dir))) {
      env.log.warn({ space: spec.space, domainId: spec.domainId, dir }, 'space directory holds files from before space volumes; left as a plain directory (its size is not enforced)');
      return 'directory';
    }
    await makeImage(image, spec);
  } else {
    // Grown to its recorded size if a grow was cut short (offline, only when nothing holds it).
    await growImageOffline(image, spec.sizeGb).catch((e: unknown) => {
      if (!(e instanceof VolumeBusyError)) throw e;
    });
  }
  try {
    await mountImage(image, dir);
  } catch (e) {
    if (!existed) await rm(image, { force: true });
    env.log.warn({ err: e, space: spec.space, domainId: spec.domainId }, 'cannot mount the space volume; the space is a plain directory (its size is not enforced)');
    return 'directory';
  }
  await ownRoot(dir, spec.owner);
  return 'loop';
}

const mountImage = (image: string, dir: string) => run('mount', ['-o', 'loop,discard,nosuid,nodev', image, dir]).then(() => undefined);

/**
 * Grows a space's volume to sizeGb (never shrinks; space-volume-resize.ts); a plain directory has
 * nothing to grow. `idle`: no app runs on the space (an offline grow is allowed). Throws
 * VolumeBusyError when it cannot be grown now.
 */
export async function growSpaceVolume(env: Env, spec: SpaceVolumeSpec, idle: boolean): Promise<void> {
  const dir = spaceDir(env.config, spec.domainId, spec.space);
  const image = spaceImage(env.config, spec.domainId, spec.space);
  await growMountedVolume(dir, image, spec.sizeGb, idle, () => mountImage(image, dir));
}

/** DeleteSpace: unmounts the volume, removes its image and the directory. */
export async function removeSpaceVolume(config: Pick<ClaryConfig, 'dataDir'>, domainId: string, space: string): Promise<void> {
  const dir = spaceDir(config, domainId, space);
  await unmountAllUnder(dir);
  await rm(spaceImage(config, domainId, space), { force: true });
  await rm(`${spaceImage(config, domainId, space)}.new`, { force: true });
  await removeDir(dir);
}
