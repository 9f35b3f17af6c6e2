import { readdir } from 'node:fs/promises';
import type { Logger } from '../../core/logger.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { MountSpec } from '../../runners/runner.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import { channelObjects } from './channels.js';
import { CheckpointSync, checkpointHostDir, checkpointPlan } from './checkpoints.js';
import { PipeChannelWriter } from './pipe-channels.js';
import type { InstanceWorkspace } from './workspace.js';

/** A channel's input mode: its own InputMode, else the job's TrainingInputMode, else File. */
export const channelMode = (job: TrainingJobDoc, ch: NonNullable<TrainingJobDoc['InputDataConfig']>[number]): string =>
  ch.InputMode ?? job.AlgorithmSpecification?.TrainingInputMode ?? 'File';

interface HostTransfers {
  readonly pipes: PipeChannelWriter[];
  readonly checkpoints: CheckpointSync | undefined;
  readonly mounts: MountSpec[];
  finished?: Promise<void>;
}

/**
 * What moves data to and from an instance while it runs, on top of the /opt/ml tree staged at start
 * and packed at the end: the Pipe channels' writers and the checkpoint directory's sync. One entry
 * per host; `start(i)` once instance i runs, `finish(i)` once it has ended (whatever the outcome:
 * writers stopped, a last checkpoint upload), `detach()` when Clary shuts down under it.
 */
export class LiveTransfers {
  private constructor(
    private readonly hosts: HostTransfers[],
    private readonly resumed: boolean,
    private readonly warn: (err: unknown, msg: string) => void,
  ) {}

  /**
   * Before the instances start: each Pipe channel's `<channel>_0` FIFO and object list, and the
   * checkpoints restored from CheckpointConfig.S3Uri (`resume`: a reattached run; the FIFOs and the
   * checkpoint directory are already there).
   */
  static async prepare(objects: ObjectStore, job: TrainingJobDoc, workspaces: readonly InstanceWorkspace[], jobRoot: string, log: Logger, options: { resume?: boolean; signal?: AbortSignal } = {}): Promise<LiveTransfers> {
    const plan = checkpointPlan(job);
    const hosts: HostTransfers[] = [];
    for (const [index, ws] of workspaces.entries()) {
      const pipes: PipeChannelWriter[] = [];
      for (const ch of job.InputDataConfig ?? []) {
        if (channelMode(job, ch) !== 'Pipe') continue;
        const refs = await channelObjects(objects, ch, { index, count: workspaces.length });
        const writer = new PipeChannelWriter(
          objects, ch, refs, ws.inputData, jobRoot,
          (e) => log.info({ job: job.TrainingJobName, host: ws.host, channel: e.channel, epoch: e.epoch, bytes: e.bytes, readerLeft: e.readerLeft }, 'pipe channel epoch written'),
          (e) => log.warn({ err: e, job: job.TrainingJobName, host: ws.host, channel: ch.ChannelName }, 'pipe channel writer failed'),
        );
        if (!options.resume) await writer.prepare();
        pipes.push(writer);
      }
      let checkpoints: CheckpointSync | undefined;
      const mounts: MountSpec[] = [];
      if (plan) {
        const where = checkpointHostDir(ws, plan);
        if (where.mount) mounts.push(where.mount);
        checkpoints = new CheckpointSync(objects, plan, jobRoot, where.dir, (msg, err) => log.warn({ err, job: job.TrainingJobName, host: ws.host }, msg));
        if (!options.resume) await checkpoints.restore(options.signal);
      }
      hosts.push({ pipes, checkpoints, mounts });
    }
    return new LiveTransfers(hosts, !!options.resume, (err, msg) => log.warn({ err, job: job.TrainingJobName }, msg));
  }

  /** Mounts instance `index` needs besides /opt/ml (a checkpoint LocalPath outside it). */
  mounts(index: number): MountSpec[] {
    return this.hosts[index]?.mounts ?? [];
  }

  /** Instance `index` runs: writers wait for their readers, the checkpoint directory is watched. */
  async start(index: number, ws: InstanceWorkspace): Promise<void> {
    const h = this.hosts[index];
    if (!h) return;
    for (const p of h.pipes) p.start(this.resumed ? await newestEpoch(ws.inputData, p.channelName) : 0);
    h.checkpoints?.start();
  }

  /** Instance `index` has ended: its writers stop (fds closed), its checkpoints get a last upload. Idempotent; never rejects. */
  finish(index: number): Promise<void> {
    const h = this.hosts[index];
    if (!h) return Promise.resolve();
    h.finished ??= (async () => {
      await Promise.all(h.pipes.map((p) => p.stop()));
      // A failed last upload is logged, not the job's failure (the model upload decides that).
      await h.checkpoints?.finish().catch((e: unknown) => this.warn(e, 'last checkpoint upload failed'));
    })();
    return h.finished;
  }

  finishAll(): Promise<void> {
    return Promise.all(this.hosts.map((_, i) => this.finish(i))).then(() => undefined);
  }

  /** Clary is shutting down: stop writing and watching; the next Clary resumes both. */
  async detach(): Promise<void> {
    for (const h of this.hosts) h.checkpoints?.stop();
    await Promise.all(this.hosts.flatMap((h) => h.pipes.map((p) => p.stop())));
  }
}

/** The newest `<channel>_N` FIFO left by an earlier Clary (0 when none). */
async function newestEpoch(dir: string, channel: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const epochs = names.map((n) => (n.startsWith(`${channel}_`) ? Number(n.slice(channel.length + 1)) : NaN)).filter((n) => Number.isInteger(n) && n >= 0);
  return epochs.length ? Math.max(...epochs) : 0;
}
