import type Docker from 'dockerode';
import type { Logger } from '../../core/logger.js';
import type { ContainerRunner } from '../../runners/container/index.js';
import type { InstanceHandle } from '../../runners/runner.js';
import { ENDPOINT_KIND, type EndpointDoc } from '../../services/sagemaker/endpoints-doc.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * The container lane's counterpart of sweepLeftoverInstances, run once when its engine opens:
 * removes this Clary's containers (its owner label and name prefix) that no unfinished training
 * job and no endpoint refers to — left by a Clary that died between starting a container and
 * recording it, or between recording a job's outcome and removing its container. Endpoints keep
 * every instance their document records (the hosting controller adopts or removes those itself).
 * Transform jobs record no handles: an unfinished one runs again from the start under the next
 * Clary, so its old model servers are always leftovers. The sweep runs before this Clary starts
 * any container (the engine opens, then the lane is used), so nothing new is at risk.
 */
export async function sweepLeftoverContainers(store: MetadataStore, runner: ContainerRunner, docker: Docker, log: Logger): Promise<string[]> {
  const keep = new Set<string>();
  for (const status of ['InProgress', 'Stopping']) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<TrainingJobDoc>({ kind: TRAINING_JOB_KIND, statusEquals: status, limit: 500, cursor });
      for (const rec of page.items) for (const h of (rec.doc._clary?.handles as InstanceHandle[] | undefined) ?? []) keep.add(h.id);
      cursor = page.nextCursor;
    } while (cursor);
  }
  let cursor: string | undefined;
  do {
    const page = await store.listResources<EndpointDoc>({ kind: ENDPOINT_KIND, limit: 500, cursor });
    for (const rec of page.items) for (const i of rec.doc._clary?.instances ?? []) if (i.handle) keep.add(i.handle.id);
    cursor = page.nextCursor;
  } while (cursor);
  const removed = await runner.sweep(keep, docker);
  if (removed.length > 0) log.info({ containers: removed }, 'removed leftover containers no unfinished job or endpoint refers to');
  return removed;
}
