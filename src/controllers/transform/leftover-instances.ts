import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { InstanceHandle, Runner } from '../../runners/runner.js';

/**
 * Run once at start, before the transform controller's first pass: every transform instance
 * under its run root belongs to a job that will run again from the start (or has ended), so all
 * of them are removed — a Clary that died mid-job leaves no model server behind.
 */
export async function sweepTransformInstances(runner: Runner, runRoot: string, log: Logger): Promise<number> {
  let n = 0;
  for (const id of await readdir(runRoot).catch(() => [] as string[])) {
    const dir = join(runRoot, id);
    try {
      await runner.cleanup(JSON.parse(await readFile(join(dir, 'handle.json'), 'utf8')) as InstanceHandle);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) {
        log.warn({ err: e, instance: id }, 'cannot clean up a leftover transform instance');
        continue;
      }
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
    n++;
  }
  if (n > 0) log.info({ instances: n }, 'removed leftover transform instances');
  return n;
}
