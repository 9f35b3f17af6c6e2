import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import { buildImage } from './build-image.js';
import { DEFAULT_SUITE, ensureDebianBase } from './debian-base.js';
import { FRAMEWORK_IMAGES, frameworkImageName, type ImageRuntime } from './framework-images.js';

/** The repository's runtimes/ directory: the build context (python/ toolkit + containers/ Containerfile). */
export const RUNTIMES_DIR = fileURLToPath(new URL('../../runtimes', import.meta.url));
const CONTAINERFILE = 'containers/Containerfile';

/** What goes into the image from runtimes/: the two Python packages (no bytecode, no tests) and the entry scripts. */
export function inContext(path: string): boolean {
  if (path.includes('__pycache__') || path.endsWith('.pyc')) return false;
  return /^python\/clary_(training|inference)\//.test(path) || path.startsWith('containers/');
}

async function filesUnder(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(root, p)));
    else out.push(relative(root, p));
  }
  return out;
}

/** A hash of what the image copies from runtimes/ (label clary.toolkit: tells a stale image). */
export async function toolkitHash(dir = RUNTIMES_DIR): Promise<string> {
  const hash = createHash('sha256');
  for (const f of (await filesUnder(dir)).filter(inContext).sort()) hash.update(f).update('\0').update(await readFile(join(dir, f))).update('\0');
  return hash.digest('hex').slice(0, 16);
}

export interface FrameworkBuildOptions {
  readonly mirror: string;
  readonly suite?: string;
  readonly onProgress?: (line: string) => void;
  readonly signal?: AbortSignal;
}

export interface FrameworkBuild {
  readonly id: string;
  readonly tags: readonly string[];
  readonly base: string;
  /** Whether debootstrap ran (false: the cached base image). */
  readonly baseBuilt: boolean;
}

/**
 * `clary images build <runtime>`: the Debian base (debootstrap, cached by its inputs' hash), then
 * runtimes/containers/Containerfile FROM it through the engine's build endpoint, tagged
 * `clary/<runtime>:latest` and with the SageMaker repository names of the framework.
 */
export async function buildFrameworkImage(docker: Docker, runtime: ImageRuntime, options: FrameworkBuildOptions): Promise<FrameworkBuild> {
  const def = FRAMEWORK_IMAGES[runtime];
  const say = options.onProgress ?? (() => undefined);
  say(`[1/3] Debian base for ${runtime}: ${def.packages.join(' ')}`);
  const base = await ensureDebianBase(docker, { name: runtime, packages: def.packages, suite: options.suite ?? DEFAULT_SUITE, mirror: options.mirror, onProgress: say, signal: options.signal });
  const name = frameworkImageName(runtime);
  const toolkit = await toolkitHash();
  say(`[2/3] building ${name} from ${base.image} with Clary's toolkit (${toolkit})`);
  const id = await buildImage(docker, {
    context: RUNTIMES_DIR,
    file: CONTAINERFILE,
    tag: name,
    include: inContext,
    // FROM the id: the engine may have normalised the base's name (Podman: docker.io/… or localhost/…).
    buildArgs: { BASE: base.id.replace(/^sha256:/, ''), FRAMEWORK: runtime, PACKAGES: def.packages.join(' '), TOOLKIT_HASH: toolkit },
    onOutput: (l) => say(`  ${l}`),
  });
  say(`[3/3] tagging ${def.sagemakerTags.join(', ')}`);
  for (const t of def.sagemakerTags) {
    const colon = t.lastIndexOf(':');
    await docker.getImage(id).tag({ repo: t.slice(0, colon), tag: t.slice(colon + 1) });
  }
  return { id, tags: [name, ...def.sagemakerTags], base: base.image, baseBuilt: base.built };
}
