import { TRANSFORM_JOB_KIND, type TransformJobDoc } from '../../services/sagemaker/transform-jobs-doc.js';
import { resourcesInStatuses } from '../active-resources.js';
import { ResyncLoop } from '../resync-loop.js';
import { TransformJobRun } from './job-run.js';
import type { TransformDeps } from './transform-deps.js';

/**
 * Runs transform jobs. Level-triggered like the training controller: on a nudge (handlers call
 * platform.changed('transform-job')) and every `resyncMs` anyway, it lists the InProgress and
 * Stopping jobs; a job without a run gets one, a Stopping job's run is told to stop. A job left
 * InProgress by a previous Clary has no run, so it simply runs again from the start.
 */
export class TransformController {
  private readonly runs = new Map<string, TransformJobRun>();
  private readonly settling = new Set<Promise<unknown>>();
  private readonly loop: ResyncLoop;

  constructor(private readonly deps: TransformDeps, resyncMs = 2000) {
    this.loop = new ResyncLoop('transform controller', () => this.scan(), deps.platform.log, resyncMs);
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  start(): void {
    this.loop.start();
  }

  nudge(): void {
    this.loop.nudge();
  }

  private async scan(): Promise<void> {
    for await (const rec of resourcesInStatuses<TransformJobDoc>(this.deps.platform.store, TRANSFORM_JOB_KIND, ['InProgress', 'Stopping'])) this.reconcile(rec.doc);
  }

  private reconcile(job: TransformJobDoc): void {
    const name = job.TransformJobName;
    const existing = this.runs.get(name);
    if (existing) {
      if (job.TransformJobStatus === 'Stopping') existing.requestStop();
      return;
    }
    if (this.stopped) return;
    const run = new TransformJobRun(this.deps, name);
    this.runs.set(name, run);
    const done = run
      .run()
      .catch((e: unknown) => this.deps.platform.log.error({ err: e, transformJob: name }, 'transform run crashed'))
      .finally(() => {
        this.runs.delete(name);
        this.settling.delete(done);
      });
    this.settling.add(done);
  }

  /** Stops every run's instances; their jobs stay InProgress and run again under the next Clary. */
  async close(): Promise<void> {
    await this.loop.stop();
    for (const run of this.runs.values()) run.detach();
    await Promise.race([Promise.allSettled([...this.settling]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.runs.clear();
  }
}
