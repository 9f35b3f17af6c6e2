import { getInstanceType } from '../../compute/catalog/index.js';
import { endAllocation, startAllocation } from '../../compute/metering/index.js';
import type { InstanceHandle, NetworkSpec, OutputLine, RunningInstance } from '../../runners/runner.js';
import type { AppDoc } from '../../services/sagemaker/apps-doc.js';
import { SYSTEM_INSTANCE_AS } from '../../services/sagemaker/apps-create.js';
import { spaceDir, STUDIO_GID, userHomeDir } from '../../studio/volumes.js';
import { nestedId, SPACE_KIND, USER_PROFILE_KIND } from '../../studio/user-identity.js';
import { LogShipper } from '../training/log-shipper.js';
import { freePort } from '../hosting/free-port.js';
import type { AppDeps } from './app-deps.js';
import { jupyterSpec } from './jupyter-spec.js';
import { jupyterStatus } from './jupyter-status.js';
import { containerCredentialsUri } from '../../iam/job-credentials.js';
import { instanceEndpoint } from '../../runners/network/index.js';
import { prepareAppCredentials, revokeAppCredentials } from './app-credentials.js';

const GiB = 1024 ** 3;
const TAIL_LINES = 10;

/** What the instance tells its reconciler. */
export type AppEvent =
  | { kind: 'running'; port: number; address?: string; handle: InstanceHandle; credentialsToken?: string }
  | { kind: 'healthy'; at: number }
  | { kind: 'activity'; at: number; lastActivity: number }
  | { kind: 'idle'; lastActivity: number }
  | { kind: 'failed'; reason: string };

/**
 * One Studio app's Jupyter server: placed on host capacity as its instance type (the free
 * "system" type as ml.t3.medium, unmetered), metered as workload "app", started in a sandbox,
 * then watched through api/status: healthy → InService, no answer or exit → Failed, no activity
 * for the idle limit → idle (the controller deletes it). Output goes to /aws/sagemaker/studio.
 */
export class AppInstance {
  running: RunningInstance | undefined;
  private readonly abort = new AbortController();
  private readonly tail: string[] = [];
  private readonly shipper: LogShipper;
  private timer: NodeJS.Timeout | undefined;
  private placed = false;
  private allocated = false;
  private stopping: Promise<void> | undefined;
  private ended = false;
  private credentialsToken: string | undefined;

  constructor(private readonly deps: AppDeps, private readonly id: string, private doc: AppDoc, private readonly emit: (e: AppEvent) => Promise<void>) {
    this.shipper = new LogShipper(deps.platform.store, '/aws/sagemaker/studio', `${doc.DomainId}/${doc.SpaceName ?? doc.UserProfileName}/${doc.AppType}/${doc.AppName}`, deps.platform.log);
  }

  get runnerId(): string {
    return `app-${this.doc.Clary.allocationId.slice(4)}`;
  }

  private get limitsType(): string {
    return this.doc.ResourceSpec.InstanceType === 'system' ? SYSTEM_INSTANCE_AS : this.doc.ResourceSpec.InstanceType;
  }

  private readonly sink = (line: OutputLine): void => {
    this.shipper.push(line.timestamp, line.text);
    this.tail.push(line.text);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
  };

  private async place(): Promise<boolean> {
    const type = getInstanceType(this.limitsType);
    if (!type) {
      await this.emit({ kind: 'failed', reason: `unknown instance type ${this.limitsType}` });
      return false;
    }
    try {
      await this.deps.capacity.acquire(
        { id: this.doc.AppArn, instanceType: type.name, vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB, accelerators: type.accelerator?.count ?? 0, count: 1 },
        (reason) => this.deps.platform.log.info({ app: this.doc.AppArn, reason }, 'app waiting for capacity'),
        this.abort.signal,
      );
    } catch (e) {
      if (!this.abort.signal.aborted) await this.emit({ kind: 'failed', reason: `${type.name} ${(e as Error).message}. Use a smaller instance type.` });
      return false;
    }
    this.placed = true;
    return true;
  }

  /** Starts from nothing. */
  async launch(): Promise<void> {
    try {
      if (!(await this.place())) return;
      const { platform, runner } = this.deps;
      const type = getInstanceType(this.limitsType)!;
      if (this.doc.ResourceSpec.InstanceType !== 'system') {
        await startAllocation(platform.store, {
          id: this.doc.Clary.allocationId, workload: 'app', instanceType: type.name, count: 1, region: platform.config.region,
          owner: { accountId: platform.config.accountId, resourceArn: this.doc.AppArn, jobName: this.doc.AppName, domainId: this.doc.DomainId, spaceName: this.doc.SpaceName, userProfileName: this.doc.UserProfileName },
          startTime: platform.now(),
        });
        this.allocated = true;
      }
      const home = this.doc.SpaceName ? spaceDir(platform.config, this.doc.DomainId, this.doc.SpaceName) : userHomeDir(platform.config, this.doc.DomainId, this.doc.UserProfileName!);
      let port: number;
      let address: string | undefined;
      let network: NetworkSpec = { mode: 'host' };
      if (this.doc.Clary.vpcOnly) {
        // VpcOnly: its own namespace on a private network of its own; no route out but Clary's service address.
        const name = this.runnerId;
        const lease = await runner.reservePrivateNetwork?.(name, ['default']);
        if (!lease) return void (await this.emit({ kind: 'failed', reason: 'Apps of a VpcOnly domain need private networks, which this Clary cannot make (run as root with CLARY_PRIVATE_NETWORKS=on; see docs/networking.md).' }));
        address = lease.addresses.default!;
        port = 8888;
        network = { mode: 'private', network: name, address };
      } else port = await freePort();
      this.abort.signal.throwIfAborted();
      const clary = address ? instanceEndpoint(new URL(this.deps.endpoint).port) : this.deps.endpoint;
      const awsEnv: Record<string, string> = { AWS_ENDPOINT_URL: clary, AWS_REGION: platform.config.region, AWS_DEFAULT_REGION: platform.config.region };
      const creds = await prepareAppCredentials(platform.store, this.doc, this.runnerId, platform.now());
      if ('token' in creds) {
        this.credentialsToken = creds.token;
        awsEnv.AWS_CONTAINER_CREDENTIALS_FULL_URI = containerCredentialsUri(clary);
        awsEnv.AWS_CONTAINER_AUTHORIZATION_TOKEN = creds.token;
      } else this.sink({ stream: 'stderr', text: creds.note, timestamp: Date.now() });
      this.running = await runner.start(jupyterSpec({
        awsEnv,
        runnerId: this.runnerId, homeDir: home, port, network, ip: address ?? '127.0.0.1', baseUrl: this.doc.Clary.baseUrl, token: this.doc.Clary.token, python: this.deps.python,
        limits: { vcpus: type.vcpu, memoryBytes: type.memoryGiB * GiB }, onOutput: this.sink, signal: this.abort.signal,
        user: await this.identity(),
      }));
      this.doc = { ...this.doc, Clary: { ...this.doc.Clary, port, address, handle: this.running.handle, credentialsToken: this.credentialsToken } };
      await this.emit({ kind: 'running', port, address, handle: this.running.handle, credentialsToken: this.credentialsToken });
      await this.watchStart();
    } catch (e) {
      if (this.abort.signal.aborted) return;
      this.deps.platform.log.error({ err: e, app: this.doc.AppArn }, 'app failed to start');
      await this.emit({ kind: 'failed', reason: `Clary could not start the app: ${(e as Error).message}` });
    }
  }

  /** Takes over a server a previous Clary started; false when it is gone. */
  async adopt(): Promise<boolean> {
    const handle = this.doc.Clary.handle as InstanceHandle | undefined;
    if (!handle || this.doc.Clary.port === undefined) return false;
    const running = await this.deps.runner.reattach(handle, { onStdout: this.sink, onStderr: this.sink });
    if (!running) return false;
    this.running = running;
    this.allocated = this.doc.ResourceSpec.InstanceType !== 'system';
    await this.place();
    void running.wait().then(() => this.onExit(), () => undefined);
    if (this.doc.Status === 'InService') this.schedule(0);
    else void this.watchStart();
    return true;
  }

  private async watchStart(): Promise<void> {
    const running = this.running!;
    let exited = false;
    void running.wait().then(() => { exited = true; void this.onExit(); }, () => undefined);
    const deadline = Date.now() + this.deps.startTimeoutMs;
    while (!this.abort.signal.aborted && !exited) {
      const status = await jupyterStatus(this.doc.Clary.address ?? '127.0.0.1', this.doc.Clary.port!, this.doc.Clary.baseUrl, this.doc.Clary.token);
      if (status) {
        await this.emit({ kind: 'healthy', at: Date.now() });
        this.schedule(0);
        return;
      }
      if (Date.now() > deadline) {
        await this.emit({ kind: 'failed', reason: `The Jupyter server did not answer api/status within ${this.deps.startTimeoutMs / 1000} s.${this.tailText()}` });
        return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async onExit(): Promise<void> {
    if (this.stopping || this.ended || this.abort.signal.aborted) return;
    this.ended = true;
    await new Promise((r) => setTimeout(r, 200));
    await this.emit({ kind: 'failed', reason: `The Jupyter server exited.${this.tailText()}` });
  }

  private tailText(): string {
    const lines = this.tail.filter((l) => l.trim() !== '');
    return lines.length ? ` Last output: ${lines.join('\n')}`.slice(0, 900) : '';
  }

  /**
   * Who Jupyter runs as: the space's HomeEfsFileSystemUid (a private space's is its owner's), or the
   * user profile's for a user-profile app, with the Studio group — the owners of the directory it
   * works in (src/studio/volumes.ts). Only when Clary is root (else it could not switch, and the
   * directories were not chowned): then as Clary's own user.
   */
  private async identity(): Promise<{ uid: number; gid: number } | undefined> {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
    const { store } = this.deps.platform;
    const rec = this.doc.SpaceName
      ? await store.getResource<{ HomeEfsFileSystemUid?: string }>(SPACE_KIND, nestedId(this.doc.DomainId, this.doc.SpaceName))
      : await store.getResource<{ HomeEfsFileSystemUid?: string }>(USER_PROFILE_KIND, nestedId(this.doc.DomainId, this.doc.UserProfileName!));
    const uid = Number(rec?.doc.HomeEfsFileSystemUid);
    if (!Number.isInteger(uid) || uid <= 0) throw new Error(`the ${this.doc.SpaceName ? 'space' : 'user profile'} has no HomeEfsFileSystemUid`);
    return { uid, gid: STUDIO_GID };
  }

  /** Reads api/status every checkIntervalMs: three misses in a row fail the app; idleness past the limit reports idle. */
  private schedule(misses: number): void {
    if (this.stopping || this.abort.signal.aborted) return;
    this.timer = setTimeout(async () => {
      if (this.stopping || this.abort.signal.aborted) return;
      const status = await jupyterStatus(this.doc.Clary.address ?? '127.0.0.1', this.doc.Clary.port!, this.doc.Clary.baseUrl, this.doc.Clary.token);
      if (this.stopping || this.abort.signal.aborted) return;
      if (!status) {
        if (misses + 1 >= 3) return void this.emit({ kind: 'failed', reason: 'The Jupyter server stopped answering api/status.' });
        return this.schedule(misses + 1);
      }
      const now = Date.now();
      if (this.deps.idleTimeoutMs > 0 && now - status.lastActivity > this.deps.idleTimeoutMs) return void this.emit({ kind: 'idle', lastActivity: status.lastActivity });
      await this.emit({ kind: 'activity', at: now, lastActivity: status.lastActivity });
      this.schedule(0);
    }, this.deps.checkIntervalMs);
    this.timer.unref();
  }

  /** Stops the server, removes the sandbox, closes the allocation, frees the capacity. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      clearTimeout(this.timer);
      this.abort.abort(new Error('app stopped'));
      const { runner, capacity, platform } = this.deps;
      if (this.running) await this.running.stop(this.deps.stopGraceMs).catch(() => undefined);
      const handle = (this.running?.handle ?? this.doc.Clary.handle) as InstanceHandle | undefined;
      if (handle) await runner.cleanup(handle).catch((e: unknown) => platform.log.warn({ err: e, app: this.doc.AppArn }, 'cannot clean up an app'));
      if (this.allocated || this.doc.Clary.handle) await endAllocation(platform.store, this.doc.Clary.allocationId, platform.now()).catch(() => undefined);
      if (this.placed) capacity.release(this.doc.AppArn);
      await revokeAppCredentials(platform.store, this.credentialsToken ?? this.doc.Clary.credentialsToken).catch(() => undefined);
      await this.shipper.flush();
    })();
    return this.stopping;
  }

  /** Clary is shutting down: the server keeps running for the next Clary to adopt. */
  async detach(): Promise<void> {
    clearTimeout(this.timer);
    this.abort.abort(new Error('Clary is shutting down'));
    this.running?.detach();
    await this.shipper.flush();
    if (this.placed) this.deps.capacity.release(this.doc.AppArn);
  }
}
