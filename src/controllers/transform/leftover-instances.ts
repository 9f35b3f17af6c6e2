import type { Logger } from '../../core/logger.js';
import type { Runner } from '../../runners/runner.js';
import { sweepRunRoot } from '../leftover-run-dirs.js';

/**
 * Run once at start, before the transform controller's first pass: every transform instance
 * under its run root belongs to a job that will run again from the start (or has ended), so all
 * of them are removed — a Clary that died mid-job leaves no model server behind.
 */
export async function sweepTransformInstances(runner: Runner, runRoot: string, log: Logger): Promise<number> {
  return (await sweepRunRoot(runner, runRoot, new Set(), log, 'transform instance')).length;
}
