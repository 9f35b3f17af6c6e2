import { access, mkdir, readFile, readdir, rmdir, writeFile } from 'node:fs/promises';

/** Small helpers over cgroupfs files: each value is one write, each read is trimmed text. */
export async function writeValue(path: string, value: string | number): Promise<void> {
  try {
    await writeFile(path, String(value));
  } catch (e) {
    throw new Error(`cannot write ${value} to ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export async function readText(path: string): Promise<string> {
  return (await readFile(path, 'utf8')).trim();
}

/** Reads a file, or undefined when it does not exist on this kernel. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readText(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function readNumber(path: string): Promise<number> {
  return Number(await readText(path));
}

/** A "key value" line from files such as memory.oom_control, memory.events and cpu.stat. */
export function keyedValue(text: string, key: string): number | undefined {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Pids in cgroup.procs of a group; an absent group has none. */
export async function readPids(dir: string): Promise<number[]> {
  const text = await readOptional(`${dir}/cgroup.procs`);
  if (!text) return [];
  return text.split('\n').map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

export async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Child directory names (sub-groups) of a group; none when the group does not exist. */
export async function childGroups(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** rmdir that treats an already-removed group as done; returns false when the group is busy. */
export async function removeGroupDir(dir: string): Promise<boolean> {
  try {
    await rmdir(dir);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'EBUSY') return false;
    throw e;
  }
}
