import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getInstanceType } from '../../compute/catalog/index.js';
import { endAllocation, startAllocation } from '../../compute/metering/index.js';
import type { ExitInfo, InstanceHandle, LineSink, OutputCursor, OutputLine, RunningInstance } from '../../runners/runner.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import { uploadDirectoryTarGz } from './artifacts.js';
import { ChannelError, stageChannel } from './channels.js';
import { readConfinedText } from './confined-path.js';
import { finish, readJob, transition, updateJob } from './job-store.js';
import { LiveTransfers, channelMode } from './live-transfers.js';
import { LogShipper } from './log-shipper.js';
import { MetricCollector } from './metrics.js';
import { trainingInstanceSpec } from './instance-spec.js';
import { prepareJobCredentials } from '../../iam/job-credentials.js';
import { chooseTrainingLane, specForLane } from './lane.js';
import { stageSourceDir, submitDirectory } from './source-dir.js';
import type { TrainingDeps } from './training-deps.js';
import { hostNames, workspaceFor, writeWorkspaceConfig, type InstanceWorkspace } from './workspace.js';

const LOG_GROUP = '/aws/sagemaker/TrainingJobs';
const GiB = 1024 ** 3;

type StopKind = 'Stopped' | 'MaxRuntimeExceeded';

/** The instance's processes are gone and left no exit record (they died with Clary, or the host rebooted). */
class InstanceLostError extends Error {}

/**
 * One training job from Starting to its end: capacity, /opt/ml trees, input channels, one sandboxed
 * instance per host, logs and metrics, artifacts, the final status. Every step is written to the
 * store before the next begins, so a restarted Clary can tell where a job was.
 */
export class TrainingJobRun {
  private instances: RunningInstance[] = [];
  private stopKind: StopKind | undefined;
  private readonly abort = new AbortController();
  private readonly metrics: MetricCollector;
  private maxRuntimeTimer: NodeJS.Timeout | undefined;
  /** The host that failed first: its reason is the job's, not that of the peers stopped because of it. */
  private firstFailed: number | undefined;
  /** Pipe channel writers and checkpoint sync of the running instances. */
  private live: LiveTransfers | undefined;

  constructor(
    private readonly deps: TrainingDeps,
    private readonly name: string,
    metricDefinitions: readonly { Name?: string; Regex?: string }[] = [],
  ) {
    this.metrics = new MetricCollector(metricDefinitions.filter((m): m is { Name: string; Regex: string } => !!m.Name && !!m.Regex));
  }

  private detached = false;

  /** Clary is shutting down: stop watching, leave the instances running for the next Clary to reattach. */
  detach(): void {
    this.detached = true;
    clearTimeout(this.maxRuntimeTimer);
    this.abort.abort(new Error('Clary is shutting down'));
    for (const i of this.instances) i.detach();
    void this.live?.detach();
  }

  /** StopTrainingJob or MaxRuntimeInSeconds: SIGTERM, grace period, SIGKILL; the model is still uploaded. */
  requestStop(kind: StopKind): void {
    if (this.stopKind) return;
    this.stopKind = kind;
    this.abort.abort(new Error(kind === 'Stopped' ? 'stopped' : 'MaxRuntimeInSeconds reached'));
    for (const i of this.instances) void i.stop(this.deps.stopGraceMs).catch(() => undefined);
  }

  private update(mutate: (d: TrainingJobDoc) => TrainingJobDoc | undefined): Promise<TrainingJobDoc | undefined> {
    return updateJob(this.deps.platform.store, this.name, mutate, this.deps.platform.now());
  }

  private fail(reason: string): Promise<unknown> {
    return this.update((d) => finish(d, { status: 'Failed', secondary: 'Failed', message: 'Training job failed', failureReason: reason }, this.deps.platform.now()));
  }

  async run(resumeHandles?: readonly InstanceHandle[]): Promise<void> {
    const { platform, capacity } = this.deps;
    const rec = await readJob(platform.store, this.name);
    if (!rec || rec.doc.TrainingJobStatus !== 'InProgress' && rec.doc.TrainingJobStatus !== 'Stopping') return;
    const job = rec.doc;
    const type = getInstanceType(job.ResourceConfig?.InstanceType ?? '');
    const count = job.ResourceConfig?.InstanceCount ?? 1;
    if (!type) return void (await this.fail(`ClientError: unknown instance type ${job.ResourceConfig?.InstanceType}`));
    const plan = await chooseTrainingLane(job, this.deps.containers, platform.config.containers.runtimeLanes);
    if (!plan.ok) return void (await this.fail(plan.reason));
    if (job.TrainingJobStatus === 'Stopping' && !resumeHandles) {
      await this.update((d) => finish(d, { status: 'Stopped', secondary: 'Stopped', message: 'Training job stopped' }, platform.now()));
      return;
    }

    const allocationId = `${job.TrainingJobArn}#1`;
    let placed = false;
    const shippers: LogShipper[] = [];
    try {
      await capacity.acquire(
        { id: job.TrainingJobArn, instanceType: type.name, vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB, accelerators: type.accelerator?.count ?? 0, count },
        (reason) => void this.update((d) => transition(d, 'Starting', `Waiting for capacity: ${reason}`, platform.now())),
        this.abort.signal,
      );
      placed = true;
      const started = platform.now();
      await startAllocation(platform.store, {
        id: allocationId,
        workload: 'training',
        instanceType: type.name,
        count,
        region: platform.config.region,
        owner: { accountId: platform.config.accountId, resourceArn: job.TrainingJobArn, jobName: job.TrainingJobName, ...(job._clary?.owner ?? {}) },
        startTime: started,
      });
      const hosts = hostNames(count);
      const workspaces = hosts.map((h) => workspaceFor(this.deps.jobsDir, this.name, h));
      // The stream keeps its name across a restart: the reattached run continues it.
      const epoch = Math.floor((job.TrainingStartTime ?? started) / 1000);
      const streamName = (h: string) => `${this.name}/${h}-${epoch}`;

      if (resumeHandles) {
        const cursors = (job._clary?.cursors as (OutputCursor | null)[] | undefined) ?? [];
        this.instances = await this.reattach(resumeHandles, hosts, cursors, shippers, streamName);
        this.live = await LiveTransfers.prepare(platform.objects, job, workspaces, join(this.deps.jobsDir, this.name), platform.log, { resume: true });
        for (const [index, ws] of workspaces.entries()) await this.live.start(index, ws);
      } else {
        await this.update((d) => {
          transition(d, 'Starting', `Preparing the instances for training (${plan.description})`, platform.now());
          d.TrainingStartTime ??= started;
          return d;
        });
        await this.update((d) => transition(d, 'Downloading', 'Downloading input data', platform.now()));
        // A run started again from the top (Clary restarted before its instances were recorded) gets fresh /opt/ml trees.
        await rm(join(this.deps.jobsDir, this.name), { recursive: true, force: true });
        const fastFile = await this.prepare(job, workspaces);
        this.live = await LiveTransfers.prepare(platform.objects, job, workspaces, join(this.deps.jobsDir, this.name), platform.log, { signal: this.abort.signal });
        // The job's private network: every host's address first, so each is told the others' (docs/networking.md).
        const network = job.EnableNetworkIsolation ? undefined : await this.deps.runner.reservePrivateNetwork?.(this.name, hosts);
        // The execution role's credentials (docs/iam.md): a token for the instances, or a log line saying why there are none.
        const credentials = job.EnableNetworkIsolation ? undefined : await prepareJobCredentials(platform.store, job, platform.now());
        await this.update((d) => transition(d, 'Training', 'Training image download completed. Training in progress.', platform.now()));
        this.instances = await Promise.all(
          workspaces.map(async (ws, index) => {
            const out = this.follow(index, streamName(ws.host), shippers);
            if (credentials && 'note' in credentials) out.sink({ stream: 'stderr', text: credentials.note, timestamp: platform.now() });
            const inst = await this.deps.runner.start(specForLane(plan,
              trainingInstanceSpec({
                job, ws, hosts, command: plan.command, toolkitPath: this.deps.toolkitPath, endpoint: this.deps.endpoint, region: platform.config.region,
                limits: { vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB }, fastFileChannels: fastFile, onStdout: out.sink, onStderr: out.sink,
                extraMounts: this.live!.mounts(index), network,
                ...(credentials && 'token' in credentials ? { credentialsToken: credentials.token } : {}),
              }), ws, job.Environment),
            );
            await this.live!.start(index, ws);
            return out.bind(inst);
          }),
        );
        const handles = this.instances.map((i) => i.handle);
        await this.update((d) => ({ ...d, _clary: { ...d._clary, handles } }));
      }
      if (this.stopKind) for (const i of this.instances) void i.stop(this.deps.stopGraceMs).catch(() => undefined);
      const maxMs = (job.StoppingCondition?.MaxRuntimeInSeconds ?? 86400) * 1000 - (platform.now() - (job.TrainingStartTime ?? started));
      this.maxRuntimeTimer = setTimeout(() => this.requestStop('MaxRuntimeExceeded'), Math.max(0, maxMs));
      const exits = await Promise.all(this.instances.map((i, index) => this.waitHost(i, index)));
      clearTimeout(this.maxRuntimeTimer);
      if (this.detached) return;
      await Promise.all(shippers.map((s) => s.flush()));
      await this.live?.finishAll();
      await this.complete(job, workspaces, exits);
    } catch (e) {
      if (this.detached) return;
      if (this.stopKind) {
        // Stopped before any instance ran (waiting for capacity, downloading): nothing to upload.
        await this.update((d) => finish(d, { status: 'Stopped', secondary: 'Stopped', message: 'Training job stopped' }, platform.now()));
      } else if (e instanceof InstanceLostError) {
        await this.fail(`InternalServerError: ${e.message}`);
      } else if (e instanceof ChannelError) {
        await this.fail(`ClientError: ${e.message}`);
      } else {
        platform.log.error({ err: e, job: this.name }, 'training job failed inside Clary');
        await this.fail(`InternalServerError: Clary could not run the job: ${(e as Error).message}`);
      }
      for (const i of this.instances) await i.kill().catch(() => undefined);
    } finally {
      clearTimeout(this.maxRuntimeTimer);
      await Promise.all(shippers.map((s) => s.flush()));
      if (this.detached) {
        capacity.release(job.TrainingJobArn);
        return;
      }
      // Failed or stopped before complete(): the writers still end and the checkpoints get their last upload.
      await this.live?.finishAll().catch((e: unknown) => platform.log.warn({ err: e, job: this.name }, 'checkpoint sync failed'));
      if (placed) await endAllocation(platform.store, allocationId, platform.now()).catch(() => undefined);
      capacity.release(job.TrainingJobArn);
      for (const i of this.instances) await this.deps.runner.cleanup(i.handle).catch(() => undefined);
      // The outcome is recorded and the artifacts uploaded: the instances' storage goes, as on SageMaker.
      await rm(join(this.deps.jobsDir, this.name), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * Instance `index`'s output: lines go to its log stream and the metric collector; the output
   * cursor is saved in the job's bookkeeping each time a batch is stored, so a reattach continues
   * after the last stored line. bind() names the instance once it exists.
   */
  private follow(index: number, stream: string, shippers: LogShipper[]): { sink: LineSink; bind(i: RunningInstance): RunningInstance } {
    const { platform } = this.deps;
    let instance: RunningInstance | undefined;
    const shipper = new LogShipper<OutputCursor>(platform.store, LOG_GROUP, stream, platform.log, undefined, undefined, {
      take: () => instance?.outputCursor(),
      save: (mark) =>
        updateJob(platform.store, this.name, (d) => {
          if (d.TrainingJobStatus !== 'InProgress' && d.TrainingJobStatus !== 'Stopping') return undefined;
          const cursors = [...((d._clary?.cursors as (OutputCursor | null)[] | undefined) ?? [])];
          cursors[index] = mark;
          return { ...d, _clary: { ...d._clary, cursors: Array.from(cursors, (c) => c ?? null) } };
        }, platform.now(), true),
    });
    shippers.push(shipper);
    const sink = (line: OutputLine) => {
      shipper.push(line.timestamp, line.text);
      this.metrics.observe(line.text, line.timestamp);
    };
    return { sink, bind: (i) => (instance = i) };
  }

  private async reattach(
    handles: readonly InstanceHandle[],
    hosts: string[],
    cursors: readonly (OutputCursor | null)[],
    shippers: LogShipper[],
    streamName: (h: string) => string,
  ): Promise<RunningInstance[]> {
    const out: RunningInstance[] = [];
    for (const [i, handle] of handles.entries()) {
      const host = hosts[i] ?? `algo-${i + 1}`;
      const follow = this.follow(i, streamName(host), shippers);
      const inst = await this.deps.runner.reattach(handle, { onStdout: follow.sink, onStderr: follow.sink, outputFrom: cursors[i] ?? undefined });
      if (!inst) {
        for (const o of out) await o.kill().catch(() => undefined);
        for (const h of handles) await this.deps.runner.cleanup(h).catch(() => undefined);
        throw new InstanceLostError(`the training instance ${host} was lost while Clary was down: its processes ended without recording an exit status (they died with Clary, or the machine restarted). Run the job again.`);
      }
      out.push(follow.bind(inst));
    }
    return out;
  }

  /**
   * One host's exit. A host that fails fails the job, so the others are stopped (SIGTERM, grace,
   * SIGKILL) as SageMaker does: a rank waiting for a dead peer would otherwise hold the job until MaxRuntime.
   */
  private async waitHost(instance: RunningInstance, index: number): Promise<ExitInfo> {
    const exit = await instance.wait();
    // Its Pipe writers stop and its checkpoints get their last upload as soon as this host ends.
    if (!this.detached) await this.live?.finish(index).catch((e: unknown) => this.deps.platform.log.warn({ err: e, job: this.name }, 'checkpoint sync failed'));
    if (exit.exitCode !== 0 && !this.stopKind && !this.detached && this.firstFailed === undefined) {
      this.firstFailed = index;
      for (const other of this.instances) if (other !== instance) void other.stop(this.deps.stopGraceMs).catch(() => undefined);
    }
    return exit;
  }

  /** Input channels and code into each host's /opt/ml; returns the FastFile channel names. */
  private async prepare(job: TrainingJobDoc, workspaces: InstanceWorkspace[]): Promise<string[]> {
    const { objects } = this.deps.platform;
    const fastFile: string[] = [];
    const source = submitDirectory(job.HyperParameters);
    for (const [index, ws] of workspaces.entries()) {
      await writeWorkspaceConfig(ws, job);
      for (const ch of job.InputDataConfig ?? []) {
        const mode = channelMode(job, ch);
        if (mode === 'Pipe') continue; // FIFOs, made by LiveTransfers
        await stageChannel(objects, ch, mode, join(ws.inputData, ch.ChannelName), { index, count: workspaces.length }, this.abort.signal);
        if (mode === 'FastFile' && index === 0) fastFile.push(ch.ChannelName);
      }
      if (source) {
        try {
          await stageSourceDir(objects, source, ws.code, this.abort.signal);
        } catch (e) {
          throw new ChannelError(`cannot fetch the training code ${source}: ${(e as Error).message}`);
        }
      }
    }
    return fastFile;
  }

  private async complete(job: TrainingJobDoc, workspaces: InstanceWorkspace[], exits: ExitInfo[]): Promise<void> {
    const { platform } = this.deps;
    const now = () => platform.now();
    await this.update((d) => transition(d, 'Uploading', 'Uploading generated training model', now()));
    const output = job.OutputDataConfig?.S3OutputPath?.replace(/\/+$/, '');
    let uploadError: string | undefined;
    if (output) {
      try {
        // Confined to the host's /opt/ml tree: the job may have swapped these directories for links.
        await uploadDirectoryTarGz(platform.objects, workspaces[0]!.model, `${output}/${job.TrainingJobName}/output/model.tar.gz`, undefined, workspaces[0]!.root);
        await uploadDirectoryTarGz(platform.objects, workspaces[0]!.outputData, `${output}/${job.TrainingJobName}/output/output.tar.gz`, undefined, workspaces[0]!.root);
      } catch (e) {
        uploadError = `ClientError: cannot upload the model to ${output}: ${(e as Error).message}`;
      }
    }
    const failed = this.firstFailed ?? exits.findIndex((x) => x.exitCode !== 0);
    const reason = failed >= 0 ? await this.failureReason(workspaces[failed]!, exits[failed]!) : uploadError;
    const metrics = this.metrics.finalMetrics();
    await this.update((d) => {
      if (metrics.length > 0) d.FinalMetricDataList = metrics;
      if (this.stopKind) return finish(d, { status: 'Stopped', secondary: this.stopKind, message: this.stopKind === 'Stopped' ? 'Training job stopped' : 'Training job stopped: MaxRuntimeInSeconds reached' }, now());
      if (reason) return finish(d, { status: 'Failed', secondary: 'Failed', message: 'Training job failed', failureReason: reason }, now());
      return finish(d, { status: 'Completed', secondary: 'Completed', message: 'Training job completed' }, now());
    });
  }

  private async failureReason(ws: InstanceWorkspace, exit: ExitInfo): Promise<string> {
    if (exit.oomKilled) return `OutOfMemoryError: Please use an instance type with more memory, or reduce the size of training data processed on an instance (${ws.host} went over its memory limit).`;
    // Not a link out of the tree (it would put a host file into FailureReason), not a FIFO; 1024 characters are kept.
    const text = await readConfinedText(ws.root, join(ws.output, 'failure'), 4096);
    // A failure text that already names its kind (a built-in algorithm's `ClientError: …`) is shown as is.
    if (text.trim()) return (/^(ClientError|AlgorithmError|PlatformError): /.test(text) ? text : `AlgorithmError: ${text}`).slice(0, 1024);
    return `AlgorithmError: the training process on ${ws.host} exited with ${exit.signal ?? `code ${exit.exitCode}`}`;
  }
}
