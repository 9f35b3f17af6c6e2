import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { c as tarCreate } from 'tar';

/**
 * Test images for the container lane, made here (no registry is reachable): a root file system of
 * Debian's busybox-static (sh, sleep, cat, seq, head, tr …) plus the host's bash and the libraries
 * it links (the runner contract's network test uses /dev/tcp), imported with `podman import`.
 * Cached by a hash of what goes in: a second run with the same content reuses the image.
 */
export const BUSYBOX = '/bin/busybox';
const FORMAT = 2; // bump when the layout below changes

export interface ImageFile {
  readonly content: string;
  readonly mode?: number;
}

export interface BusyboxImageOptions {
  /** Repository of the tag (default clary-test/busybox); the tag is the content hash. */
  readonly repository?: string;
  /** Extra files: absolute path in the image → content (e.g. /usr/bin/train). */
  readonly files?: Readonly<Record<string, ImageFile>>;
  /** `podman import --change` instructions, e.g. `ENTRYPOINT ["/usr/bin/train"]`. */
  readonly changes?: readonly string[];
}

/** Why the tests that need Podman cannot run here ('' when they can). */
export function podmanSkipReason(): string {
  if (process.getuid?.() !== 0) return 'needs root (Podman with runc)';
  for (const [bin, pkg] of [['podman', 'podman'], ['runc', 'runc'], [BUSYBOX, 'busybox-static'], ['catatonit', 'catatonit']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status !== 0) return `${pkg} is not installed (npm test installs it as root)`;
  }
  return '';
}

function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

/** Builds (or finds) the image; resolves to its name, e.g. `clary-test/busybox:3f2a…`. */
export async function busyboxImage(options: BusyboxImageOptions = {}): Promise<string> {
  const repository = options.repository ?? 'clary-test/busybox';
  const bash = '/bin/bash';
  const libs = sharedLibraries(bash);
  const hash = createHash('sha256');
  hash.update(`format ${FORMAT}\n`);
  for (const f of [BUSYBOX, bash, ...libs]) hash.update(f).update(await readFile(f));
  hash.update(JSON.stringify(options.files ?? {})).update(JSON.stringify(options.changes ?? []));
  const name = `${repository}:${hash.digest('hex').slice(0, 16)}`;
  if (spawnSync('podman', ['image', 'exists', name], { stdio: 'ignore' }).status === 0) return name;

  const work = await mkdtemp(join(tmpdir(), 'clary-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'tmp', 'proc', 'sys', 'dev', 'opt', 'root', 'var/tmp']) await mkdir(join(root, d), { recursive: true });
    await chmod(join(root, 'tmp'), 0o1777);
    await copyFile(BUSYBOX, join(root, 'bin/busybox'));
    await chmod(join(root, 'bin/busybox'), 0o755);
    const applets = execFileSync(BUSYBOX, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const a of applets) if (a !== 'busybox') await symlink('busybox', join(root, 'bin', a));
    await symlink('/bin/busybox', join(root, 'usr/bin/env'));
    for (const f of [bash, ...libs]) {
      await mkdir(dirname(join(root, f)), { recursive: true });
      await copyFile(f, join(root, f));
      await chmod(join(root, f), 0o755);
    }
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    await writeFile(join(root, 'etc/group'), 'root:x:0:\n');
    for (const [path, file] of Object.entries(options.files ?? {})) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), file.content);
      await chmod(join(root, path), file.mode ?? 0o644);
    }
    const tarball = join(work, 'rootfs.tar');
    await tarCreate({ cwd: root, file: tarball, portable: false, preservePaths: false }, ['.']);
    const changes = (options.changes ?? []).flatMap((c) => ['--change', c]);
    const r = spawnSync('podman', ['import', ...changes, tarball, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`podman import failed: ${r.stderr}`);
    return name;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
