import { readFile } from 'node:fs/promises';

/** Where the controllers Clary needs are mounted, by cgroup version. Paths are mount points. */
export type CgroupLayout =
  | {
      readonly kind: 'v1';
      readonly memory: string;
      readonly cpu: string;
      /** Often the same mount as cpu ("cpu,cpuacct"); here usage is read from cpuacct.usage. */
      readonly cpuacct: string;
      readonly pids?: string;
    }
  | { readonly kind: 'v2'; readonly root: string };

/** Unescapes the octal escapes /proc/mounts uses for spaces and the like ("\040"). */
function unescapeMount(path: string): string {
  return path.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/**
 * Reads the cgroup layout from a /proc/self/mounts text. v1 wins when a v1 hierarchy carries the
 * memory controller (hybrid hosts mount an empty cgroup2 beside it); otherwise a cgroup2 mount is
 * the v2 layout when its cgroup.controllers lists memory (checked by the caller, see detect).
 */
export function parseCgroupMounts(mounts: string): { v1: Partial<Record<'memory' | 'cpu' | 'cpuacct' | 'pids', string>>; v2: string[] } {
  const v1: Partial<Record<'memory' | 'cpu' | 'cpuacct' | 'pids', string>> = {};
  const v2: string[] = [];
  for (const line of mounts.split('\n')) {
    const [, mountPoint, type, opts] = line.split(' ');
    if (!mountPoint || !opts) continue;
    if (type === 'cgroup2') v2.push(unescapeMount(mountPoint));
    if (type !== 'cgroup') continue;
    for (const opt of opts.split(',')) {
      if ((opt === 'memory' || opt === 'cpu' || opt === 'cpuacct' || opt === 'pids') && !v1[opt]) v1[opt] = unescapeMount(mountPoint);
    }
  }
  return { v1, v2 };
}

/**
 * Which cgroup hierarchy this machine has, or undefined when neither a v1 memory controller nor a
 * cgroup2 mount with the memory controller is available (then instances cannot be limited).
 */
export async function detectCgroupLayout(mountsPath = '/proc/self/mounts'): Promise<CgroupLayout | undefined> {
  const { v1, v2 } = parseCgroupMounts(await readFile(mountsPath, 'utf8'));
  if (v1.memory && v1.cpu) {
    return Object.freeze({ kind: 'v1', memory: v1.memory, cpu: v1.cpu, cpuacct: v1.cpuacct ?? v1.cpu, ...(v1.pids ? { pids: v1.pids } : {}) });
  }
  for (const root of v2) {
    try {
      const controllers = (await readFile(`${root}/cgroup.controllers`, 'utf8')).trim().split(/\s+/);
      if (controllers.includes('memory')) return Object.freeze({ kind: 'v2', root });
    } catch {
      // unreadable mount: not usable
    }
  }
  return undefined;
}
