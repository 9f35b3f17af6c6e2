import { readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Index } from './embedded-index.js';

export async function unlinkQuietly(path: string): Promise<void> {
  await unlink(path).catch(() => {});
}

/**
 * Sweeps what a crash can leave behind: writes in progress under tmp/, and blobs that were renamed
 * into blobs/ but never committed to the index (or whose replacement was committed but whose
 * unlink never ran). Runs on open, before any request is served.
 */
export async function collectGarbage(root: string, index: Index): Promise<{ tmp: number; blobs: number }> {
  const tmpDir = join(root, 'tmp');
  const tmp = await readdir(tmpDir);
  for (const name of tmp) await rm(join(tmpDir, name), { recursive: true, force: true });
  const live = new Set(index.q.allBlobs.all().map((r) => r.blob));
  let blobs = 0;
  const blobsDir = join(root, 'blobs');
  for (const fan of await readdir(blobsDir)) {
    const dir = join(blobsDir, fan);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (!live.has(name)) {
        await unlinkQuietly(join(dir, name));
        blobs++;
      }
    }
  }
  return { tmp: tmp.length, blobs };
}
