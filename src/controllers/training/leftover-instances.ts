import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';
import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import type { MetadataStore } from '../../store/metadata-store.js';

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
  const entries = await readdir(runRoot).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const id of entries) {
    if (keep.has(id)) continue;
    const dir = join(runRoot, id);
    try {
      const handle = JSON.parse(await readFile(join(dir, 'handle.json'), 'utf8')) as InstanceHandle;
      await runner.cleanup(handle);
    } catch (e) {
      // No readable handle: the start died before its supervisor was recorded; only the files are left.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) {
        log.warn({ err: e, instance: id }, 'cannot clean up a leftover instance');
        continue;
      }
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    }
    removed.push(id);
  }
  if (removed.length > 0) log.info({ instances: removed }, 'removed leftover instances no unfinished job refers to');
  return removed;
}
