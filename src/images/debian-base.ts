import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type Docker from 'dockerode';
import { c as tarCreate } from 'tar';
import { localImageId } from './image-resolver.js';

/**
 * A Debian root file system made with debootstrap and imported into the engine as a local image
 * (`clary-base/<name>:<hash>`): the base of the framework images where no registry is reachable.
 * The hash covers the package list, suite, mirror and this layout, so a second build with the same
 * inputs skips debootstrap (minutes) and reuses the image.
 */
const FORMAT = 1; // bump when the root file system's layout below changes

export interface DebianBaseOptions {
  /** Repository part of the tag: `clary-base/<name>`. */
  readonly name: string;
  /** Packages installed on top of minbase (their dependencies come along, not their Recommends). */
  readonly packages: readonly string[];
  readonly suite?: string;
  readonly mirror: string;
  /** Progress lines (debootstrap's own, and what happens around it). */
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface DebianBase {
  readonly image: string;
  readonly id: string;
  /** false when the cached image was reused. */
  readonly built: boolean;
}

export const DEFAULT_SUITE = 'bookworm';

export function debianBaseTag(o: Pick<DebianBaseOptions, 'name' | 'packages' | 'suite' | 'mirror'>): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ format: FORMAT, suite: o.suite ?? DEFAULT_SUITE, mirror: o.mirror, packages: [...o.packages].sort() }))
    .digest('hex')
    .slice(0, 16);
  return `clary-base/${o.name}:${hash}`;
}

/** Why debootstrap cannot run here ('' when it can). */
export function debootstrapMissing(): string {
  if (process.getuid?.() !== 0) return 'debootstrap needs root';
  const found = spawnSync('sh', ['-c', 'command -v debootstrap || test -x /usr/sbin/debootstrap'], { stdio: 'ignore' }).status === 0;
  return found ? '' : 'debootstrap is not installed: apt-get install -y --no-install-recommends debootstrap';
}

export async function ensureDebianBase(docker: Docker, options: DebianBaseOptions): Promise<DebianBase> {
  const say = options.onProgress ?? (() => undefined);
  const image = debianBaseTag(options);
  for (const name of [image, `localhost/${image}`]) {
    const id = await localImageId(docker, name);
    if (id) {
      say(`base image ${image} is already built (same packages, suite and mirror): debootstrap skipped`);
      return { image, id, built: false };
    }
  }
  const missing = debootstrapMissing();
  if (missing) throw new Error(`cannot make the Debian base image ${image}: ${missing}`);
  const work = await mkdtemp(join(tmpdir(), 'clary-debootstrap-'));
  try {
    const root = join(work, 'rootfs');
    const suite = options.suite ?? DEFAULT_SUITE;
    say(`debootstrap ${suite} from ${options.mirror} with ${options.packages.join(' ')} (minutes the first time)…`);
    const t0 = Date.now();
    await debootstrap(['--variant=minbase', `--include=${options.packages.join(',')}`, suite, root, options.mirror], say, options.signal);
    await slim(root);
    await writeFile(join(root, 'etc/clary-base'), `${suite} ${options.mirror}\n${options.packages.join('\n')}\n`);
    say(`debootstrap done in ${Math.round((Date.now() - t0) / 1000)} s; importing the root file system as ${image}…`);
    const t1 = Date.now();
    const id = await importRootfs(docker, root, image);
    say(`base image ${image} imported in ${Math.round((Date.now() - t1) / 1000)} s (${id.replace(/^sha256:/, '').slice(0, 12)})`);
    return { image, id, built: true };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function debootstrap(args: string[], say: (line: string) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('debootstrap', args, { stdio: ['ignore', 'pipe', 'pipe'], signal, env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` } });
    const tail: string[] = [];
    const line = (l: string) => {
      tail.push(l);
      if (tail.length > 20) tail.shift();
      say(`  ${l}`);
    };
    createInterface({ input: child.stdout! }).on('line', line);
    createInterface({ input: child.stderr! }).on('line', line);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`debootstrap exited with ${code}: ${tail.slice(-5).join(' | ')}`))));
  });
}

/** What an image does not need: downloaded .deb files, apt's lists, the device nodes (the engine makes /dev). */
async function slim(root: string): Promise<void> {
  for (const dir of ['var/cache/apt/archives', 'var/lib/apt/lists', 'dev']) {
    const entries = await readdir(join(root, dir)).catch(() => [] as string[]);
    for (const e of entries) if (e !== 'partial' && e !== 'lock') await rm(join(root, dir, e), { recursive: true, force: true });
  }
}

/** Streams a tar of `root` into the engine's image import (`POST /images/create?fromSrc=-`). */
async function importRootfs(docker: Docker, root: string, image: string): Promise<string> {
  const tar = tarCreate({ cwd: root, portable: false, preservePaths: false }, ['.']);
  // `repo` with the tag in it: Podman's compat endpoint ignores a separate `tag` (Docker takes both forms).
  const stream = await docker.importImage(tar as unknown as NodeJS.ReadableStream, { repo: image });
  const events = await new Promise<{ status?: string; id?: string }[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: unknown[]) => (err ? reject(err) : resolve(res as never))),
  );
  const reported = events.map((e) => e.id ?? e.status ?? '').find((s) => /^(sha256:)?[0-9a-f]{64}$/.test(s));
  const id = (await localImageId(docker, image)) ?? (await localImageId(docker, `localhost/${image}`)) ?? reported;
  if (!id) throw new Error(`the engine imported the root file system but does not list ${image}`);
  return id;
}
