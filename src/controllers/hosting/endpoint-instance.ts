import { getInstanceType } from '../../compute/catalog/index.js';
import { endAllocation, startAllocation } from '../../compute/metering/index.js';
import type { ExitInfo, OutputLine, RunningInstance } from '../../runners/runner.js';
import type { EndpointInstanceRecord } from '../../services/sagemaker/endpoints-doc.js';
import type { FleetVariant } from '../../services/sagemaker/endpoints-fleet.js';
import { LogShipper } from '../training/log-shipper.js';
import { freePort } from './free-port.js';
import { ping, waitHealthy } from './health-check.js';
import type { HostingDeps } from './hosting-deps.js';
import { containerInferenceSpec, ISOLATION_NOT_ENFORCED, publishedPort } from './container-inference-spec.js';
import { chooseInferenceLane } from './inference-lane.js';
import { inferenceInstanceSpec } from './inference-spec.js';
import { ModelDataError } from './model-artifacts.js';
import type { InstanceRoute } from './routing-table.js';
import { StartErrorFile } from './start-error-file.js';

const GiB = 1024 ** 3;
const TAIL_LINES = 15;
/** SageMaker's default for ContainerStartupHealthCheckTimeoutInSeconds. */
export const DEFAULT_STARTUP_HEALTH_SECONDS = 240;

/**
 * launching: placing, metering, fetching the model, starting the sandbox; starting: waiting for
 * /ping; healthy: serving; failed: never became healthy (`failure` says why); ended: exited or
 * stopped answering after it was healthy, or stopped.
 */
export type InstanceState = 'launching' | 'starting' | 'healthy' | 'failed' | 'ended';

/**
 * One instance of an endpoint variant: a model server in its own sandbox on a loopback port,
 * placed on host capacity and metered (workload hosting), its output shipped to
 * /aws/sagemaker/Endpoints/<endpoint> stream `<variant>/<instance id>`.
 */
export class EndpointInstance {
  state: InstanceState = 'launching';
  failure: string | undefined;
  running: RunningInstance | undefined;
  readonly route: InstanceRoute;
  private readonly abort = new AbortController();
  private readonly tail: string[] = [];
  private readonly shipper: LogShipper;
  private pingTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private started: Promise<void> | undefined;
  private placed = false;
  private allocated = false;
  private detached = false;
  /** Container lane: which lane and image (quoted in failure reasons); '' on the process lane. */
  private laneNote = '';
  private readonly startError = new StartErrorFile();

  constructor(
    private readonly deps: HostingDeps,
    private readonly endpoint: { name: string; arn: string },
    readonly record: EndpointInstanceRecord,
    private readonly variant: FleetVariant,
    /** Called on every state change (the reconciler re-routes and looks again). */
    private readonly onChange: (i: EndpointInstance) => void,
  ) {
    this.route = { id: record.id, port: record.port, variant: record.variant, outstanding: 0 };
    this.shipper = new LogShipper(deps.platform.store, `/aws/sagemaker/Endpoints/${endpoint.name}`, `${record.variant}/${record.id}`, deps.platform.log);
  }

  get runnerId(): string {
    return `${this.endpoint.name}-${this.record.id}`;
  }

  private get placementId(): string {
    return `${this.endpoint.arn}#${this.record.id}`;
  }

  private readonly sink = (line: OutputLine): void => {
    this.shipper.push(line.timestamp, line.text);
    if (line.stream === 'stderr' || this.state !== 'healthy') {
      this.tail.push(line.text);
      if (this.tail.length > TAIL_LINES) this.tail.shift();
    }
  };

  /** Starts from nothing. `persist` records what a restarted Clary needs (port, handle) before it is relied on. */
  launch(persist: () => Promise<void>): Promise<void> {
    this.started = this.doLaunch(persist).catch((e: unknown) => {
      if (this.abort.signal.aborted) return;
      if (e instanceof ModelDataError) return this.fail(e.message);
      this.deps.platform.log.error({ err: e, endpoint: this.endpoint.name, instance: this.record.id }, 'endpoint instance failed to start');
      this.fail(`InternalServerError: Clary could not start the instance: ${(e as Error).message}`);
    });
    return this.started;
  }

  private async doLaunch(persist: () => Promise<void>): Promise<void> {
    const { platform, capacity, runner, artifacts } = this.deps;
    const signal = this.abort.signal;
    const lane = await chooseInferenceLane(this.variant.model.container, this.deps.containers, platform.config.containers.runtimeLanes);
    if (!lane.ok) return this.fail(lane.reason);
    // The first line of the instance's log stream says which lane runs it, and why.
    this.shipper.push(Date.now(), `clary: ${lane.description}`);
    if (lane.lane === 'container') this.laneNote = ` (${lane.description})`;
    if (lane.lane === 'container' && this.variant.model.enableNetworkIsolation) this.shipper.push(Date.now(), ISOLATION_NOT_ENFORCED);
    const type = getInstanceType(this.record.instanceType);
    if (!type) return this.fail(`ClientError: unknown instance type ${this.record.instanceType}`);
    try {
      await capacity.acquire(
        { id: this.placementId, instanceType: type.name, vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB, accelerators: type.accelerator?.count ?? 0, count: 1 },
        (reason) => platform.log.info({ endpoint: this.endpoint.name, instance: this.record.id, reason }, 'endpoint instance waiting for capacity'),
        signal,
      );
    } catch (e) {
      if (signal.aborted) return;
      // The placer refuses a type that can never fit this host.
      return this.fail(`ClientError: ${type.name} ${(e as Error).message}. Use a smaller instance type.`);
    }
    this.placed = true;
    await startAllocation(platform.store, {
      id: this.record.allocationId,
      workload: 'hosting',
      instanceType: type.name,
      count: 1,
      region: platform.config.region,
      owner: { accountId: platform.config.accountId, resourceArn: this.endpoint.arn, jobName: this.endpoint.name },
      startTime: platform.now(),
    });
    this.allocated = true;
    const dirs = await artifacts.prepare(this.variant.ModelName, this.variant.model.creationTime, this.variant.model.container);
    signal.throwIfAborted();
    const limits = { vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB };
    let running: RunningInstance;
    if (lane.lane === 'process') {
      const port = await freePort();
      this.setPort(port);
      running = await runner.start(
        inferenceInstanceSpec({
          runnerId: this.runnerId, instanceId: this.record.id, variant: this.variant, plan: lane.plan, port, modelDir: dirs.modelDir, codeDir: dirs.codeDir,
          toolkitPath: this.deps.toolkitPath, endpoint: this.deps.endpoint, region: platform.config.region,
          limits, onOutput: this.sink, signal,
        }),
      );
    } else {
      const container = this.variant.model.container;
      running = await runner.start(
        containerInferenceSpec({
          runnerId: this.runnerId, instanceId: this.record.id, plan: lane, environment: container.Environment ?? {}, hostname: container.ContainerHostname,
          modelDir: dirs.modelDir, codeDir: lane.toolkit ? dirs.codeDir : undefined, region: platform.config.region, limits, startErrorFile: await this.startError.path(), onOutput: this.sink, signal,
        }),
      );
      // The engine picked the loopback port it published the server's port on.
      this.setPort(publishedPort(running.handle, lane.containerPort));
    }
    this.running = running;
    this.record.handle = running.handle;
    if (!this.record.port) throw new Error(`the container engine published no port for ${lane.lane === 'container' ? lane.containerPort : 'the server'}`);
    if (signal.aborted) return;
    await persist();
    await this.watch();
  }

  private setPort(port: number): void {
    this.record.port = port;
    (this.route as { port: number }).port = port;
  }

  /** Takes over an instance a previous Clary started (false: it is gone). */
  async adopt(): Promise<boolean> {
    const { runner, capacity } = this.deps;
    if (!this.record.handle) return false;
    const running = await runner.reattach(this.record.handle, { onStdout: this.sink, onStderr: this.sink, outputFrom: this.record.cursor });
    if (!running) return false;
    this.running = running;
    this.allocated = true;
    const type = getInstanceType(this.record.instanceType);
    if (type) {
      await capacity.acquire({ id: this.placementId, instanceType: type.name, vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB, accelerators: type.accelerator?.count ?? 0, count: 1 }, () => undefined, this.abort.signal).catch(() => undefined);
      this.placed = true;
    }
    this.started = this.watch().catch((e: unknown) => this.fail(`InternalServerError: ${(e as Error).message}`));
    return true;
  }

  /** Waits for /ping, then keeps pinging while serving. */
  private async watch(): Promise<void> {
    const running = this.running!;
    const exited = running.wait();
    void exited.then((exit) => this.onExit(exit), () => undefined);
    this.setState('starting');
    const timeoutS = this.variant.ContainerStartupHealthCheckTimeoutInSeconds ?? DEFAULT_STARTUP_HEALTH_SECONDS;
    const outcome = await waitHealthy(this.record.port, timeoutS * 1000, exited, this.abort.signal);
    if (outcome.healthy) {
      this.setState('healthy');
      this.schedulePing(0);
      return;
    }
    if (outcome.why === 'cancelled') return;
    const what = `The primary container for production variant ${this.record.variant} did not pass the ping health check`;
    if (outcome.why === 'timeout') {
      return this.fail(`${what} within ContainerStartupHealthCheckTimeoutInSeconds (${timeoutS} s)${this.laneNote}. Please check CloudWatch logs for this endpoint.${this.tailText()}`);
    }
    const exit = await exited.catch(() => undefined);
    // An image that cannot run `serve` (not found, not executable): the runner says so.
    const cannotRun = await this.startError.read();
    if (cannotRun) return this.fail(`${cannotRun}${this.laneNote}`);
    const how = exit?.oomKilled ? 'ran out of memory' : exit?.signal ? `was killed by ${exit.signal}` : `exited with code ${exit?.exitCode ?? 'unknown'}`;
    this.fail(`${what}: the model server ${how}${this.laneNote}.${this.tailText()}`);
  }

  private tailText(): string {
    // Flushing is asynchronous: give the last lines a moment to arrive before quoting them.
    const lines = this.tail.filter((l) => l.trim() !== '');
    return lines.length ? ` Last output: ${lines.join('\n')}`.slice(0, 900) : '';
  }

  private onExit(exit: ExitInfo): void {
    if (this.stopping || this.detached) return;
    if (this.state === 'healthy') {
      this.failure = `the model server exited (${exit.signal ?? `code ${exit.exitCode}`})`;
      this.deps.platform.log.warn({ endpoint: this.endpoint.name, instance: this.record.id, exit }, 'endpoint instance ended; replacing it');
      this.setState('ended');
    }
  }

  private schedulePing(failures: number): void {
    if (this.stopping || this.detached) return;
    this.pingTimer = setTimeout(async () => {
      if (this.stopping || this.detached || this.state !== 'healthy') return;
      const ok = await ping(this.record.port);
      if (ok) return this.schedulePing(0);
      if (failures + 1 < this.deps.pingFailures) return this.schedulePing(failures + 1);
      this.failure = `the model server stopped answering /ping`;
      this.deps.platform.log.warn({ endpoint: this.endpoint.name, instance: this.record.id }, 'endpoint instance stopped answering /ping; replacing it');
      this.setState('ended');
    }, this.deps.pingIntervalMs);
    this.pingTimer.unref();
  }

  private fail(reason: string): void {
    if (this.stopping) return;
    this.failure = reason;
    this.setState('failed');
  }

  private setState(s: InstanceState): void {
    if (this.state === s) return;
    this.state = s;
    this.onChange(this);
  }

  /** Stops the server (SIGTERM, grace, SIGKILL), removes the sandbox, closes the allocation, frees the capacity. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.pingTimer);
      this.abort.abort(new Error('instance stopped'));
      await this.started?.catch(() => undefined);
      const { runner, capacity, platform } = this.deps;
      if (this.running) await this.running.stop(this.deps.stopGraceMs).catch(() => undefined);
      if (this.record.handle) await runner.cleanup(this.record.handle).catch((e: unknown) => platform.log.warn({ err: e, instance: this.record.id }, 'cannot clean up an endpoint instance'));
      if (this.allocated) await endAllocation(platform.store, this.record.allocationId, platform.now()).catch(() => undefined);
      if (this.placed) capacity.release(this.placementId);
      await this.shipper.flush();
      await this.startError.remove();
      if (this.state !== 'failed') this.state = 'ended';
    })();
    return this.stopping;
  }

  /** Clary is shutting down: stop watching, leave the server running for the next Clary. */
  async detach(): Promise<void> {
    this.detached = true;
    clearTimeout(this.pingTimer);
    this.abort.abort(new Error('Clary is shutting down'));
    if (this.running) this.record.cursor = this.running.outputCursor();
    this.running?.detach();
    await this.shipper.flush();
    await this.startError.remove();
    if (this.placed) this.deps.capacity.release(this.placementId);
  }
}
