import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { InstanceHandle, Runner } from '../runners/runner.js';

/**
 * The start-up sweep every controller runs over its process-lane run root
 * (`<runRoot>/<id>/handle.json`, docs/runners.md): each instance dir whose id is not in `keep` is
 * cleaned up through the runner (its processes killed, its dir removed); a dir without a readable
 * handle (a start that died before recording it) is just removed. Returns the ids removed.
 */
export async function sweepRunRoot(runner: Runner, runRoot: string, keep: ReadonlySet<string>, log: Logger, what: string): Promise<string[]> {
  const removed: string[] = [];
  for (const id of await readdir(runRoot).catch(() => [] as string[])) {
    if (keep.has(id)) continue;
    const dir = join(runRoot, id);
    try {
      await runner.cleanup(JSON.parse(await readFile(join(dir, 'handle.json'), 'utf8')) as InstanceHandle);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) {
        log.warn({ err: e, instance: id }, `cannot clean up a leftover ${what}`);
        continue;
      }
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    removed.push(id);
  }
  if (removed.length > 0) log.info({ instances: removed }, `removed leftover ${what}s`);
  return removed;
}
