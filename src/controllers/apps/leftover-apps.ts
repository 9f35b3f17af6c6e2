import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';
import { APP_KIND, type AppDoc } from '../../services/sagemaker/apps-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * Run once at start, before the app controller's first pass: removes the Jupyter sandboxes under
 * the apps' run root that no app record names (a Clary died between starting a server and
 * recording its handle, or between stopping one and forgetting it).
 */
export async function sweepLeftoverApps(store: MetadataStore, runner: Runner, runRoot: string, log: Logger): Promise<string[]> {
  const keep = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listResources<AppDoc>({ kind: APP_KIND, limit: 500, cursor });
    for (const rec of page.items) {
      const handle = rec.doc.Clary.handle as InstanceHandle | undefined;
      if (handle) keep.add(handle.id);
    }
    cursor = page.nextCursor;
  } while (cursor);
  const removed: string[] = [];
  for (const id of await readdir(runRoot).catch(() => [] as string[])) {
    if (keep.has(id)) continue;
    const dir = join(runRoot, id);
    try {
      await runner.cleanup(JSON.parse(await readFile(join(dir, 'handle.json'), 'utf8')) as InstanceHandle);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) {
        log.warn({ err: e, instance: id }, 'cannot clean up a leftover app');
        continue;
      }
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    removed.push(id);
  }
  if (removed.length > 0) log.info({ instances: removed }, 'removed leftover apps');
  return removed;
}
