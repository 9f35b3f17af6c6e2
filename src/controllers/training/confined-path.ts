import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * Files Clary reads from a job's /opt/ml tree after the job (model/, output/data/, output/failure)
 * are read on the host, as root, outside the sandbox. The job's code could have replaced any of them
 * (or a directory above them) with a link to a host path — Clary's data dir, say — so each is used
 * only when it is where it seems: no component below the workspace root is a symlink.
 */
export async function confinedTo(root: string, path: string): Promise<boolean> {
  try {
    const [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
    return real === join(realRoot, relative(root, path));
  } catch {
    return false;
  }
}

/** The first `maxBytes` of a regular file confined to `root` ('' otherwise: a link out, a FIFO, missing). */
export async function readConfinedText(root: string, path: string, maxBytes: number): Promise<string> {
  if (!(await confinedTo(root, path))) return '';
  // Non-blocking: opening a FIFO for reading would otherwise wait for a writer that never comes.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch(() => undefined);
  if (!handle) return '';
  try {
    if (!(await handle.stat()).isFile()) return '';
    const buf = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buf, 0, maxBytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
