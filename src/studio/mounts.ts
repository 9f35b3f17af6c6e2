import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Mount {
  /** Where it is mounted (octal escapes of /proc/self/mountinfo decoded). */
  readonly target: string;
  /** What is mounted, e.g. /dev/loop3. */
  readonly source: string;
  readonly fstype: string;
}

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** This process's mounts, from /proc/self/mountinfo (empty where there is none). */
export async function listMounts(): Promise<Mount[]> {
  const text = await readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [left, right] = line.split(' - ');
    const fields = left!.split(' ');
    const tail = (right ?? '').split(' ');
    out.push({ target: unescape(fields[4] ?? ''), fstype: tail[0] ?? '', source: unescape(tail[1] ?? '') });
  }
  return out;
}

/** The mount on exactly this path (the last one, if several are stacked). */
export async function mountAt(path: string): Promise<Mount | undefined> {
  return (await listMounts()).filter((m) => m.target === path).pop();
}

/** Mount points at or below a directory, deepest first (the order to unmount them in). */
export async function mountsUnder(dir: string): Promise<string[]> {
  const targets = (await listMounts()).map((m) => m.target).filter((t) => t === dir || t.startsWith(dir + sep));
  return [...new Set(targets)].sort((a, b) => b.length - a.length);
}

/** Unmounts a path, lazily (detached now, released when its last user goes) if it is busy. */
export async function unmount(path: string): Promise<void> {
  try {
    await run('umount', [path]);
  } catch {
    await run('umount', ['-l', path]);
  }
}

/** Unmounts everything at or below a directory; used before removing it (rm across a mount would empty the mounted file system). */
export async function unmountAllUnder(dir: string): Promise<void> {
  for (const target of await mountsUnder(dir)) {
    // Stacked mounts: unmount until nothing is left on the path.
    while (await mountAt(target)) await unmount(target);
  }
}
