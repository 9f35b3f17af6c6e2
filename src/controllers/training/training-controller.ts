import { TRAINING_JOB_KIND, type TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import { resourcesInStatuses } from '../active-resources.js';
import { ResyncLoop } from '../resync-loop.js';
import type { InstanceHandle } from '../../runners/runner.js';
import { TrainingJobRun } from './job-run.js';
import { budgetStatus } from '../../compute/metering/index.js';
import type { TrainingDeps } from './training-deps.js';

/**
 * Runs training jobs. Level-triggered: it looks at the store (on a nudge from a handler, and every
 * few seconds anyway) for jobs that are InProgress or Stopping and makes reality match: a new job
 * gets a run; a Stopping job's run is told to stop. On start it picks up every unfinished job:
 * those whose instances were running are reattached (or failed honestly when they died with
 * Clary); those that had not started instances yet start again from the top.
 * docs/controllers.md has the state table.
 */
export class TrainingController {
  private readonly runs = new Map<string, TrainingJobRun>();
  private readonly settling = new Set<Promise<unknown>>();
  private readonly loop: ResyncLoop;

  constructor(private readonly deps: TrainingDeps, resyncMs = 2000) {
    this.loop = new ResyncLoop('training controller', () => this.scan(), deps.platform.log, resyncMs);
  }

  private get stopped(): boolean {
    return this.loop.stopped;
  }

  start(): void {
    this.loop.start();
  }

  /** Called by handlers after they record intent, so nothing waits for the next resync. */
  nudge(): void {
    this.loop.nudge();
  }

  private async scan(): Promise<void> {
    for await (const rec of resourcesInStatuses<TrainingJobDoc>(this.deps.platform.store, TRAINING_JOB_KIND, ['InProgress', 'Stopping'])) this.reconcile(rec.doc);
  }

  private reconcile(job: TrainingJobDoc): void {
    const name = job.TrainingJobName;
    const run = this.runs.get(name);
    if (run) {
      if (job.TrainingJobStatus === 'Stopping') run.requestStop('Stopped');
      else void this.enforceBudget(job, run);
      return;
    }
    if (this.stopped) return;
    const handles = (job._clary as { handles?: InstanceHandle[] } | undefined)?.handles;
    const fresh = new TrainingJobRun(this.deps, name, job.AlgorithmSpecification?.MetricDefinitions ?? []);
    this.runs.set(name, fresh);
    if (job.TrainingJobStatus === 'Stopping') fresh.requestStop('Stopped');
    const done = fresh
      .run(handles && handles.length > 0 ? handles : undefined)
      .catch((e: unknown) => this.deps.platform.log.error({ err: e, job: name }, 'training run crashed'))
      .finally(() => {
        this.runs.delete(name);
        this.settling.delete(done);
      });
    this.settling.add(done);
  }

  /** A budget set with stopRunningWork stops its owner's running jobs once it is exhausted. */
  private async enforceBudget(job: TrainingJobDoc, run: TrainingJobRun): Promise<void> {
    const owner = job._clary?.owner;
    if (!owner?.domainId) return;
    const { store, config, now } = this.deps.platform;
    const statuses = await budgetStatus(store, owner, now(), { region: config.region }).catch(() => []);
    const over = statuses.find((b) => b.exhausted && b.stopRunningWork);
    if (over) {
      this.deps.platform.log.warn({ job: job.TrainingJobName, budget: over.target }, 'budget exhausted: stopping the job');
      run.requestStop('Stopped');
    }
  }

  /** Stops watching (instances keep running, to be reattached by the next Clary). */
  async close(): Promise<void> {
    await this.loop.stop();
    for (const run of this.runs.values()) run.detach();
    // Runs that were preparing stop at their next step; runs watching instances let go at once.
    await Promise.race([Promise.allSettled([...this.settling]), new Promise((r) => setTimeout(r, 5000).unref())]);
    this.runs.clear();
  }
}
