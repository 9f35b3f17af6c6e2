import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../../services/sagemaker/endpoints-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * Run once at start, before the hosting controller's first pass: removes the endpoint instances
 * under the hosting run root that no endpoint's document names (a Clary died between starting an
 * instance and recording its handle, or between stopping one and forgetting it).
 */
export async function sweepLeftoverEndpointInstances(store: MetadataStore, runner: Runner, runRoot: string, log: Logger): Promise<string[]> {
  const keep = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.listResources<EndpointDoc>({ kind: ENDPOINT_KIND, limit: 500, cursor });
    for (const rec of page.items) for (const i of rec.doc._clary?.instances ?? []) if (i.handle) keep.add(i.handle.id);
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
        log.warn({ err: e, instance: id }, 'cannot clean up a leftover endpoint instance');
        continue;
      }
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    removed.push(id);
  }
  if (removed.length > 0) log.info({ instances: removed }, 'removed leftover endpoint instances');
  return removed;
}
