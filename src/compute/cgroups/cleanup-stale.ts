import { childGroups } from './cgroup-files.js';
import { detectCgroupLayout } from './cgroup-layout.js';
import { checkGroupPath, DEFAULT_PARENT, isGroupName } from './group-name.js';
import { openInstanceCgroup } from './instance-cgroup.js';

export interface CleanupStaleOptions {
  readonly parent?: string;
  /** Names still in use (instances a controller reattached to): left alone. */
  readonly keep?: Iterable<string>;
  readonly layout?: Awaited<ReturnType<typeof detectCgroupLayout>>;
}

/**
 * Removes groups left behind by a crash: every clary/<name> whose name starts with prefix and is
 * not in keep, in every hierarchy, after killing what still runs in it. Returns the removed names.
 */
export async function cleanupStale(prefix: string, options: CleanupStaleOptions = {}): Promise<string[]> {
  const parent = checkGroupPath(options.parent ?? DEFAULT_PARENT, 'parent', true);
  const layout = options.layout ?? (await detectCgroupLayout());
  if (!layout) return [];
  const keep = new Set(options.keep ?? []);
  const mounts = layout.kind === 'v1' ? [...new Set([layout.memory, layout.cpu, layout.cpuacct, ...(layout.pids ? [layout.pids] : [])])] : [layout.root];
  const names = new Set<string>();
  for (const mount of mounts) {
    for (const name of await childGroups(`${mount}/${parent}`)) {
      if (name.startsWith(prefix) && !keep.has(name) && isGroupName(name)) names.add(name);
    }
  }
  const removed: string[] = [];
  for (const name of [...names].sort()) {
    const group = await openInstanceCgroup(name, { parent, layout });
    await group.destroy();
    removed.push(name);
  }
  return removed;
}
