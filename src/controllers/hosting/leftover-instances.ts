import type { Logger } from '../../core/logger.js';
import type { Runner } from '../../runners/runner.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../../services/sagemaker/endpoints-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { sweepRunRoot } from '../leftover-run-dirs.js';

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
  return sweepRunRoot(runner, runRoot, keep, log, 'endpoint instance');
}
