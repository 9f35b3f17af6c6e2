import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';
import { APP_KIND, type AppDoc } from '../../services/sagemaker/apps-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { sweepRunRoot } from '../leftover-run-dirs.js';

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
  return sweepRunRoot(runner, runRoot, keep, log, 'app');
}
