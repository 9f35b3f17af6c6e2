import type Docker from 'dockerode';
import type { Logger } from '../../core/logger.js';
import type { ContainerRunner } from '../../runners/container/index.js';
import type { InstanceHandle } from '../../runners/runner.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

/**
 * The container lane's counterpart of sweepLeftoverInstances, run once when its engine opens:
 * removes this Clary's containers (its owner label and name prefix) that no unfinished training
 * job refers to — left by a Clary that died between starting a container and recording it, or
 * between recording a job's outcome and removing its container.
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
  const removed = await runner.sweep(keep, docker);
  if (removed.length > 0) log.info({ containers: removed }, 'removed leftover containers no unfinished job refers to');
  return removed;
}
