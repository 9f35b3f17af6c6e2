import { randomBytes } from 'node:crypto';
import { getInstanceType } from '../../compute/catalog/index.js';
import { endAllocation, startAllocation } from '../../compute/metering/index.js';
import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import type { OutputLine, RunningInstance } from '../../runners/runner.js';
import type { FleetVariant } from '../../services/sagemaker/endpoints-fleet.js';
import { freePort } from '../hosting/free-port.js';
import { waitHealthy } from '../hosting/health-check.js';
import { containerInferenceSpec, ISOLATION_NOT_ENFORCED, publishedPort } from '../hosting/container-inference-spec.js';
import { chooseInferenceLane } from '../hosting/inference-lane.js';
import { inferenceInstanceSpec } from '../hosting/inference-spec.js';
import { ModelDataError } from '../hosting/model-artifacts.js';
import { StartErrorFile } from '../hosting/start-error-file.js';
import { LogShipper } from '../training/log-shipper.js';
import type { TransformDeps } from './transform-deps.js';

const GiB = 1024 ** 3;
const TAIL_LINES = 15;
export const LOG_GROUP = '/aws/sagemaker/TransformJobs';
/** How long a transform instance's model server may take to answer /ping (SageMaker: 600 s for batch). */
const STARTUP_HEALTH_MS = 600_000;

/** The instance could not start or serve: the job fails with this reason. */
export class InstanceStartError extends Error {}

export interface TransformModel {
  name: string;
  container: ContainerDefinition;
  enableNetworkIsolation: boolean;
  creationTime: number;
}

/**
 * One instance of a transform job: the model's server (as an endpoint instance runs it, with
 * SAGEMAKER_BATCH=true and the job's Environment) in its own sandbox on a loopback port, placed
 * on host capacity and metered (workload transform), its output shipped to
 * /aws/sagemaker/TransformJobs stream `<job>/<instance id>`.
 */
export class TransformInstance {
  readonly id = `i-${randomBytes(8).toString('hex')}`;
  port = 0;
  readonly shipper: LogShipper;
  private running: RunningInstance | undefined;
  private placed = false;
  private allocationId: string | undefined;
  private readonly tail: string[] = [];
  private stopping: Promise<void> | undefined;
  private readonly startError = new StartErrorFile();

  constructor(
    private readonly deps: TransformDeps,
    private readonly job: { name: string; arn: string; instanceType: string; environment?: Record<string, string> },
    private readonly model: TransformModel,
    private readonly signal: AbortSignal,
  ) {
    this.shipper = new LogShipper(deps.platform.store, LOG_GROUP, `${job.name}/${this.id}`, deps.platform.log);
  }

  private get placementId(): string {
    return `${this.job.arn}#${this.id}`;
  }

  private readonly sink = (line: OutputLine): void => {
    this.shipper.push(line.timestamp, line.text);
    if (line.text.trim() === '') return;
    this.tail.push(line.text);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  };

  /** Places, meters, fetches the model, starts the server and waits for /ping. Throws InstanceStartError. */
  async start(): Promise<void> {
    const { platform, capacity, runner, artifacts } = this.deps;
    const container: ContainerDefinition = {
      ...this.model.container,
      Environment: { ...(this.model.container.Environment ?? {}), ...(this.job.environment ?? {}), SAGEMAKER_BATCH: 'true' },
    };
    const lane = await chooseInferenceLane(container, this.deps.containers, platform.config.containers.runtimeLanes);
    if (!lane.ok) throw new InstanceStartError(lane.reason);
    // The first line of the instance's log stream says which lane runs it, and why.
    this.log(`clary: ${lane.description}`);
    if (lane.lane === 'container' && this.model.enableNetworkIsolation) this.log(ISOLATION_NOT_ENFORCED);
    const laneNote = lane.lane === 'container' ? ` (${lane.description})` : '';
    const type = getInstanceType(this.job.instanceType);
    if (!type) throw new InstanceStartError(`ClientError: unknown instance type ${this.job.instanceType}`);
    try {
      await capacity.acquire(
        { id: this.placementId, instanceType: type.name, vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB, accelerators: type.accelerator?.count ?? 0, count: 1 },
        (reason) => platform.log.info({ transformJob: this.job.name, instance: this.id, reason }, 'transform instance waiting for capacity'),
        this.signal,
      );
    } catch (e) {
      this.signal.throwIfAborted();
      throw new InstanceStartError(`ClientError: ${type.name} ${(e as Error).message}. Use a smaller instance type.`);
    }
    this.placed = true;
    this.allocationId = `${this.job.arn}#${this.id}`;
    await startAllocation(platform.store, {
      id: this.allocationId,
      workload: 'transform',
      instanceType: type.name,
      count: 1,
      region: platform.config.region,
      owner: { accountId: platform.config.accountId, resourceArn: this.job.arn, jobName: this.job.name },
      startTime: platform.now(),
    });
    let dirs;
    try {
      dirs = await artifacts.prepare(this.model.name, this.model.creationTime, container);
    } catch (e) {
      if (e instanceof ModelDataError) throw new InstanceStartError(`ClientError: ${e.message}`);
      throw e;
    }
    this.signal.throwIfAborted();
    const runnerId = `${this.job.name}-${this.id}`;
    const limits = { vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB };
    if (lane.lane === 'process') {
      this.port = await freePort();
      const variant = { model: { container, enableNetworkIsolation: this.model.enableNetworkIsolation, creationTime: this.model.creationTime } } as FleetVariant;
      this.running = await runner.start(
        inferenceInstanceSpec({
          runnerId, instanceId: this.id, variant, plan: lane.plan, port: this.port, modelDir: dirs.modelDir, codeDir: dirs.codeDir,
          toolkitPath: this.deps.toolkitPath, endpoint: this.deps.endpoint, region: platform.config.region,
          limits, onOutput: this.sink, signal: this.signal,
        }),
      );
    } else {
      this.running = await runner.start(
        containerInferenceSpec({
          runnerId, instanceId: this.id, plan: lane, environment: container.Environment ?? {}, hostname: container.ContainerHostname,
          modelDir: dirs.modelDir, codeDir: lane.toolkit ? dirs.codeDir : undefined, region: platform.config.region, limits, startErrorFile: await this.startError.path(), onOutput: this.sink, signal: this.signal,
        }),
      );
      this.port = publishedPort(this.running.handle, lane.containerPort);
      if (!this.port) throw new InstanceStartError(`InternalServerError: the container engine published no port for ${lane.containerPort}${laneNote}`);
    }
    const exited = this.running.wait();
    const outcome = await waitHealthy(this.port, STARTUP_HEALTH_MS, exited, this.signal);
    if (outcome.healthy) return;
    this.signal.throwIfAborted();
    if (outcome.why === 'timeout') throw new InstanceStartError(`ClientError: the model server did not pass the ping health check within ${STARTUP_HEALTH_MS / 1000} s${laneNote}.${this.tailText()}`);
    const exit = await exited.catch(() => undefined);
    // An image that cannot run `serve` (not found, not executable): the runner says so.
    const cannotRun = await this.startError.read();
    if (cannotRun) throw new InstanceStartError(`${cannotRun}${laneNote}`);
    const how = exit?.oomKilled ? 'ran out of memory' : exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.exitCode ?? 'unknown'}`;
    await new Promise((r) => setTimeout(r, 200));
    throw new InstanceStartError(`ClientError: the model server ${how} before it passed the ping health check${laneNote}.${this.tailText()}`);
  }

  tailText(): string {
    return this.tail.length ? ` Last output: ${this.tail.join('\n')}`.slice(0, 700) : '';
  }

  /** A line in the instance's log stream (Clary's own messages: failed records and the like). */
  log(message: string): void {
    this.shipper.push(Date.now(), message);
  }

  /** Stops the server, removes the sandbox, closes the allocation, frees the capacity. Idempotent. */
  stop(graceMs = this.deps.stopGraceMs): Promise<void> {
    this.stopping ??= (async () => {
      const { runner, capacity, platform } = this.deps;
      if (this.running) {
        await this.running.stop(graceMs).catch(() => undefined);
        await runner.cleanup(this.running.handle).catch((e: unknown) => platform.log.warn({ err: e, instance: this.id }, 'cannot clean up a transform instance'));
      }
      if (this.allocationId) await endAllocation(platform.store, this.allocationId, platform.now()).catch(() => undefined);
      if (this.placed) capacity.release(this.placementId);
      await this.shipper.flush();
      await this.startError.remove();
    })();
    return this.stopping;
  }
}
