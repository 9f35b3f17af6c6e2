import { chmod, chown, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClaryConfig } from '../core/config.js';

/**
 * A Studio domain's "home EFS file system": a directory tree on this machine (docs/studio.md).
 *
 *   <dataDir>/studio/<domain-id>/            0711, root — the domain volume (HomeEfsFileSystemId = "fs-<domain-id>")
 *   <dataDir>/studio/<domain-id>/home/<user>    0700, uid = HomeEfsFileSystemUid, gid 1001 — a user profile's private home
 *   <dataDir>/studio/<domain-id>/spaces/<space> private: 0700 owned by the owner's uid; shared: 2770, gid 1001
 *
 * Names in paths are lower-cased (SageMaker's names are case-insensitive). Ownership is set when
 * Clary runs as root (it is how apps will run the user's code as that uid); otherwise only modes.
 */
export const STUDIO_GID = 1001;
/** The first HomeEfsFileSystemUid of a domain, as Studio numbers them. */
export const FIRST_STUDIO_UID = 200001;

export const studioRoot = (config: Pick<ClaryConfig, 'dataDir'>): string => join(config.dataDir, 'studio');
export const domainVolume = (config: Pick<ClaryConfig, 'dataDir'>, domainId: string): string => join(studioRoot(config), domainId);
export const userHomeDir = (config: Pick<ClaryConfig, 'dataDir'>, domainId: string, user: string): string => join(domainVolume(config, domainId), 'home', user.toLowerCase());
export const spaceDir = (config: Pick<ClaryConfig, 'dataDir'>, domainId: string, space: string): string => join(domainVolume(config, domainId), 'spaces', space.toLowerCase());
/** What DescribeDomain reports as HomeEfsFileSystemId for the domain's volume. */
export const volumeId = (domainId: string): string => `fs-${domainId.slice(2)}`;

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

async function makeDir(path: string, mode: number, owner?: { uid: number; gid: number }): Promise<void> {
  await mkdir(path, { recursive: true, mode });
  await chmod(path, mode);
  if (owner && isRoot()) await chown(path, owner.uid, owner.gid);
}

/** Creates the domain volume (and its home/ and spaces/ parents); idempotent. */
export async function createDomainVolume(config: Pick<ClaryConfig, 'dataDir'>, domainId: string): Promise<string> {
  await makeDir(studioRoot(config), 0o711);
  const root = domainVolume(config, domainId);
  await makeDir(root, 0o711);
  await makeDir(join(root, 'home'), 0o711);
  await makeDir(join(root, 'spaces'), 0o711);
  return root;
}

export async function volumeExists(config: Pick<ClaryConfig, 'dataDir'>, domainId: string): Promise<boolean> {
  return stat(domainVolume(config, domainId)).then((s) => s.isDirectory(), () => false);
}

export async function removeDomainVolume(config: Pick<ClaryConfig, 'dataDir'>, domainId: string): Promise<void> {
  await rm(domainVolume(config, domainId), { recursive: true, force: true });
}

/** A user profile's private home: mode 0700, owned by its uid. */
export async function createUserHome(config: Pick<ClaryConfig, 'dataDir'>, domainId: string, user: string, uid: number): Promise<string> {
  const dir = userHomeDir(config, domainId, user);
  await makeDir(dir, 0o700, { uid, gid: STUDIO_GID });
  return dir;
}

/** A space's directory: private spaces 0700 owned by the owner's uid; shared spaces 2770 for the domain's group. */
export async function createSpaceDir(config: Pick<ClaryConfig, 'dataDir'>, domainId: string, space: string, owner: { uid: number } | 'shared'): Promise<string> {
  const dir = spaceDir(config, domainId, space);
  if (owner === 'shared') await makeDir(dir, 0o2770, { uid: 0, gid: STUDIO_GID });
  else await makeDir(dir, 0o700, { uid: owner.uid, gid: STUDIO_GID });
  return dir;
}

/** Removes a user's home or a space's directory (DeleteUserProfile, DeleteSpace): the data goes with the resource. */
export async function removeDir(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
