import { readFile } from 'node:fs/promises';

/** MemTotal from a /proc/meminfo text, in bytes; throws when the line is missing. */
export function parseMemTotal(meminfo: string): number {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(meminfo);
  if (!m) throw new Error('no MemTotal line in /proc/meminfo');
  return Number(m[1]) * 1024;
}

/** Total physical memory of the machine in bytes. */
export async function readMemTotal(path = '/proc/meminfo'): Promise<number> {
  return parseMemTotal(await readFile(path, 'utf8'));
}

/**
 * The memory limit of the cgroup this process lives in (v1 memory.limit_in_bytes or v2 memory.max),
 * or undefined when there is none (unlimited, absent, or unreadable). A host runs Clary inside a
 * limited group sometimes; instances must not be promised more than that.
 */
export async function readOwnMemoryLimit(procCgroup = '/proc/self/cgroup', cgroupRoot = '/sys/fs/cgroup'): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(procCgroup, 'utf8');
  } catch {
    return undefined;
  }
  const candidates: string[] = [];
  for (const line of text.split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (path === undefined) continue;
    if (controllers!.split(',').includes('memory')) candidates.push(`${cgroupRoot}/memory${path}/memory.limit_in_bytes`);
    if (controllers === '') candidates.push(`${cgroupRoot}${path}/memory.max`);
  }
  for (const file of candidates) {
    try {
      const raw = (await readFile(file, 'utf8')).trim();
      if (raw === 'max') return undefined;
      const n = Number(raw);
      // v1 reports "unlimited" as a page-rounded LONG_MAX.
      if (Number.isFinite(n) && n > 0 && n < 2 ** 62) return n;
    } catch {
      // not this layout
    }
  }
  return undefined;
}
