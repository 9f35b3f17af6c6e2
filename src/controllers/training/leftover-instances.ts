import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { sweepRunRoot } from '../leftover-run-dirs.js';

/**
 * Run once at start, before the controller's first scan: removes the instances under this Clary's
 * run root that no unfinished job refers to. They are left by a Clary that died after starting an
 * instance but before recording its handle (the job then starts again from the top, and the old
 * instance would block the new one's id), or after recording a job's outcome but before cleaning up.
 * Only this data dir's run root is looked at, never the machine's other Clarys' instances.
 * It reads the process lane's run dirs (`<runRoot>/<id>/handle.json`, docs/runners.md).
 */
export async function sweepLeftoverInstances(store: MetadataStore, runner: Runner, runRoot: string, log: Logger): Promise<string[]> {
  const keep = new Set<string>();
  for (const status of ['InProgress', 'Stopping']) {
    let cursor: string | undefined;
    do {
      const page = await store.listResources<TrainingJobDoc>({ kind: TRAINING_JOB_KIND, statusEquals: status, limit: 500, cursor });
      for (const rec of page.items) {
        const handles = (rec.doc._clary?.handles as InstanceHandle[] | undefined) ?? [];
        for (const h of handles) keep.add(h.id);
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return sweepRunRoot(runner, runRoot, keep, log, 'instance');
}
