import { execFile } from 'node:child_process';
import { stat, truncate } from 'node:fs/promises';
import { promisify } from 'node:util';
import { mountAt, unmount } from './mounts.js';

const run = promisify(execFile);
const GiB = 1024 ** 3;

/**
 * Growing a space volume (UpdateSpace with a larger EbsVolumeSizeInGb; docs/studio.md).
 *
 * Online first: the image is extended, the loop device told (`losetup -c`) and ext4 grown while
 * mounted (`resize2fs` on the device). That needs CAP_SYS_RESOURCE; where Clary lacks it (some
 * containers) the volume is grown offline — unmounted, checked (`e2fsck -f -p`) and grown
 * (`resize2fs` on the image) — which is safe only when nothing else has the file system mounted:
 * no running app (the caller's `idle`) and no loop device left on the image once Clary's own
 * mount is gone (a sandbox started while it was mounted may still hold it). Otherwise
 * VolumeBusyError, and the volume stays as it was.
 */
export class VolumeBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VolumeBusyError';
  }
}

/** Loop devices attached to an image. */
export async function loopsOf(image: string): Promise<string[]> {
  const { stdout } = await run('losetup', ['-n', '-O', 'NAME', '-j', image]);
  return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** The size of the ext4 file system in an image or on a device, in bytes. */
async function fsBytes(target: string): Promise<number> {
  const { stdout } = await run('dumpe2fs', ['-h', target]);
  const count = /^Block count:\s+(\d+)/m.exec(stdout);
  const size = /^Block size:\s+(\d+)/m.exec(stdout);
  if (!count || !size) throw new Error(`cannot read the file system size of ${target}`);
  return Number(count[1]) * Number(size[1]);
}

/** Offline: extends an image nothing has attached and grows its file system to fill it (idempotent; repairs a half-done grow). */
export async function growImageOffline(image: string, sizeGb: number): Promise<void> {
  const want = sizeGb * GiB;
  const size = (await stat(image)).size;
  if (size >= want && (await fsBytes(image)) >= size) return;
  // An unmount releases its loop device asynchronously (autoclear): give it a few seconds.
  for (let waited = 0; (await loopsOf(image)).length > 0; waited += 100) {
    if (waited >= 5000) throw new VolumeBusyError('its file system is still mounted elsewhere');
    await new Promise((r) => setTimeout(r, 100));
  }
  if (size < want) await truncate(image, want);
  try {
    await run('e2fsck', ['-f', '-p', image]);
  } catch (e) {
    // 1: errors were corrected; anything higher is a problem.
    if ((e as { code?: number }).code !== 1) throw e;
  }
  await run('resize2fs', [image]);
}

async function growOnline(device: string, image: string, want: number): Promise<boolean> {
  if ((await stat(image)).size < want) await truncate(image, want);
  await run('losetup', ['-c', device]);
  if ((await fsBytes(device)) >= want) return true;
  try {
    await run('resize2fs', [device]);
    return true;
  } catch {
    return false;
  }
}

/**
 * Grows the volume mounted at `dir` (backed by `image`) to sizeGb; never shrinks. `mount` mounts
 * the image at dir again after an offline grow.
 */
export async function growMountedVolume(dir: string, image: string, sizeGb: number, idle: boolean, mount: () => Promise<void>): Promise<void> {
  const current = await mountAt(dir);
  if (!current?.source.startsWith('/dev/loop')) return;
  const want = sizeGb * GiB;
  if ((await stat(image)).size >= want && (await fsBytes(current.source)) >= want) return;
  const before = (await stat(image)).size;
  if (await growOnline(current.source, image, want)) return;
  if (!idle) {
    // Leave it as it was: the image back to its file system's size.
    await truncate(image, before);
    await run('losetup', ['-c', current.source]);
    throw new VolumeBusyError('an app is running on it and this Clary cannot grow a mounted file system (it lacks CAP_SYS_RESOURCE)');
  }
  await unmount(dir);
  try {
    await growImageOffline(image, sizeGb);
  } finally {
    await mount();
  }
}
