import { constants, createWriteStream, existsSync, statSync } from 'node:fs';
import { mkdir, open, readdir, stat } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { MountSpec } from '../../runners/runner.js';
import type { ObjectStore } from '../../objects/object-store.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import { ChannelError, channelObjects } from './channels.js';
import { confinedTo } from './confined-path.js';
import { parseS3Uri } from './s3-uri.js';
import type { InstanceWorkspace } from './workspace.js';

/**
 * CheckpointConfig: everything under S3Uri is restored into LocalPath (default /opt/ml/checkpoints)
 * of every instance before training; while it trains, new and changed files are uploaded to S3Uri
 * (relative paths kept, each instance to the same prefix), and once more when the instance ends,
 * whatever the outcome. Files deleted locally stay in S3, as on SageMaker.
 */
export const DEFAULT_CHECKPOINT_PATH = '/opt/ml/checkpoints';
/** How often a running job's checkpoint directory is scanned: one readdir/lstat walk, uploads only of what changed. */
export const CHECKPOINT_POLL_MS = 2000;

export interface CheckpointPlan {
  readonly bucket: string;
  /** '' or ending in '/'. */
  readonly prefix: string;
  /** LocalPath inside the instance, normalised. */
  readonly localPath: string;
}

const RESERVED = ['/proc', '/dev', '/sys'];
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** The job's checkpoint plan, or undefined without CheckpointConfig. A LocalPath the sandbox cannot mount is the caller's error. */
export function checkpointPlan(job: TrainingJobDoc): CheckpointPlan | undefined {
  const cfg = job.CheckpointConfig;
  if (!cfg?.S3Uri) return undefined;
  const uri = parseS3Uri(cfg.S3Uri);
  if (!uri) throw new ChannelError(`CheckpointConfig.S3Uri ${cfg.S3Uri} is not an s3:// URI.`);
  const given = cfg.LocalPath?.trim() || DEFAULT_CHECKPOINT_PATH;
  const localPath = posix.normalize(given).replace(/\/+$/, '');
  const bad = (why: string) => new ChannelError(`CheckpointConfig.LocalPath ${given} ${why}`);
  if (!given.startsWith('/')) throw bad('must be an absolute path.');
  if (localPath === '' || localPath === '/opt/ml' || RESERVED.some((r) => under(localPath, r))) throw bad('cannot hold checkpoints: use /opt/ml/checkpoints or a directory of your own.');
  if (!under(localPath, '/opt/ml')) {
    // The sandbox mounts it over the host's tree: its top-level directory must exist there (as /opt, /mnt, /tmp do).
    const top = `/${localPath.split('/')[1]}`;
    if (!existsSync(top) || !statSync(top).isDirectory()) throw bad(`cannot be mounted: ${top} does not exist in the instance's file system.`);
  }
  return { bucket: uri.bucket, prefix: uri.key === '' ? '' : `${uri.key.replace(/\/+$/, '')}/`, localPath };
}

/** Where the instance's LocalPath lives on the host, and the mount that puts it there when it is outside /opt/ml. */
export function checkpointHostDir(ws: InstanceWorkspace, plan: CheckpointPlan): { dir: string; mount?: MountSpec } {
  if (under(plan.localPath, '/opt/ml')) return { dir: join(ws.root, plan.localPath.slice('/opt/ml/'.length)) };
  const dir = join(dirname(ws.root), `${ws.host}.checkpoints`);
  return { dir, mount: { hostPath: dir, sandboxPath: plan.localPath, readOnly: false } };
}

/**
 * One instance's checkpoint directory and its S3 prefix. `restore()` before the instance starts,
 * `start()` once it runs, `finish()` when it has ended (final sync), `stop()` to just stop watching.
 */
export class CheckpointSync {
  /** Relative path → "size:mtime" of what S3 holds from this instance. */
  private readonly synced = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopped = false;
  uploads = 0;

  constructor(
    private readonly objects: ObjectStore,
    private readonly plan: CheckpointPlan,
    /** The job's tree on the host: nothing outside it is ever read. */
    private readonly jobRoot: string,
    readonly dir: string,
    private readonly warn: (msg: string, err: unknown) => void,
    private readonly intervalMs = CHECKPOINT_POLL_MS,
  ) {}

  /** Downloads every object under the prefix into the directory (made if missing). */
  async restore(signal?: AbortSignal): Promise<number> {
    await mkdir(this.dir, { recursive: true });
    const uri = `s3://${this.plan.bucket}/${this.plan.prefix}`;
    let refs;
    try {
      refs = await channelObjects(this.objects, { ChannelName: 'checkpoints', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: uri } } }, { index: 0, count: 1 });
    } catch (e) {
      if (e instanceof ChannelError && e.message.startsWith('No S3 objects found')) return 0;
      throw new ChannelError(`cannot restore the checkpoints from ${uri}: ${(e as Error).message}`);
    }
    for (const ref of refs) {
      signal?.throwIfAborted();
      const rel = ref.key.slice(this.plan.prefix.length);
      if (rel === '' || rel.split('/').some((p) => p === '..' || p === '.' || p === '')) continue;
      const dest = join(this.dir, rel);
      await mkdir(dirname(dest), { recursive: true });
      const got = await this.objects.getObject(ref.bucket, ref.key);
      await pipeline(got.body, createWriteStream(dest, { mode: 0o644 }), { signal });
      const st = await stat(dest);
      this.synced.set(rel, `${st.size}:${st.mtimeMs}`);
    }
    return refs.length;
  }

  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.sync().catch((e) => this.warn('checkpoint sync failed', e)).finally(() => this.start());
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops watching, without a last upload (Clary is shutting down; the next one takes over). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** The instance has ended: waits for a pass in progress, then uploads what is left. */
  async finish(): Promise<void> {
    this.stop();
    await this.pass?.catch(() => undefined);
    await this.sync();
  }

  /** One pass: uploads the regular files whose size or mtime differ from what was last uploaded. */
  async sync(): Promise<void> {
    if (!(await confinedTo(this.jobRoot, this.dir))) return;
    for (const rel of await this.walk('')) {
      const path = join(this.dir, rel);
      const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
      if (!handle) continue;
      try {
        const st = await handle.stat();
        const mark = `${st.size}:${st.mtimeMs}`;
        if (!st.isFile() || this.synced.get(rel) === mark) continue;
        // A directory on the way swapped for a link since the walk: not ours to read.
        if (!(await confinedTo(this.jobRoot, path))) continue;
        await this.objects.putObject(this.plan.bucket, this.plan.prefix + rel, handle.createReadStream({ autoClose: false, start: 0 }));
        this.synced.set(rel, mark);
        this.uploads++;
      } finally {
        await handle.close();
      }
    }
  }

  /** Regular files below the directory (relative, '/'-separated), links not followed. */
  private async walk(rel: string): Promise<string[]> {
    const entries = await readdir(join(this.dir, rel), { withFileTypes: true }).catch(() => []);
    const out: string[] = [];
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) out.push(...(await this.walk(child)));
      else if (e.isFile()) out.push(child);
    }
    return out;
  }
}
