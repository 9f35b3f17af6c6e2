import Docker from 'dockerode';
import type { ClaryConfig } from '../core/config.js';
import { chooseEngine, openContainerEngine, ping, type ContainerEngine } from '../engine/index.js';
import { buildFrameworkImage, buildImage, findFrameworkImage, isImageRuntime, listLocalImages, toolkitHash, type FrameworkBuild, type ImageRuntime, type LocalImage } from '../images/index.js';
import { DEFAULT_REPOSITORIES } from '../runtimes/image-map.js';
import { DEFAULT_RUNTIMES } from '../runtimes/runtimes.js';

export interface ImagesListing {
  readonly engine: string;
  readonly images: readonly LocalImage[];
  readonly lanes: readonly {
    framework: string;
    repositories: string[];
    lane: 'process' | 'container';
    interpreter: string;
    /** Runtimes with a framework image (sklearn, pytorch, xgboost): its name when built, `not built`, or `stale` (built from an older toolkit). */
    image?: { name: string; built: boolean; stale: boolean };
  }[];
}

/**
 * `clary images ls`: the engine's local images, and which lane each kind of TrainingImage takes.
 * Uses the running Clary's Podman when its socket answers; otherwise opens the engine as Clary
 * would (starting Podman for the duration of the command).
 */
/** The running Clary's Podman when its socket answers; otherwise the engine opened as Clary would (closed by the caller). */
async function engineFor(config: ClaryConfig): Promise<{ docker: Docker; why: string; engine?: ContainerEngine }> {
  const choice = chooseEngine(config.containers, config.dataDir);
  if (choice.kind === 'podman' && (await ping(choice.socketPath))) {
    return { docker: new Docker({ socketPath: choice.socketPath }), why: `the running Clary's Podman on ${choice.socketPath}` };
  }
  const engine = await openContainerEngine(config.containers, config.dataDir);
  return { docker: engine.docker, why: choice.why, engine };
}

/** `clary images build DIR -t NAME:TAG [-f FILE]`: returns the image id. */
export async function imagesBuild(config: ClaryConfig, options: { context: string; tag: string; file?: string; onOutput?: (line: string) => void }): Promise<string> {
  const { docker, engine } = await engineFor(config);
  try {
    return await buildImage(docker, options);
  } finally {
    await engine?.close();
  }
}

/** Whether `clary images build NAME` means a framework runtime's image: a known runtime that is not a directory. */
export function frameworkBuildTarget(name: string, isDirectory: boolean): ImageRuntime | undefined {
  return !isDirectory && isImageRuntime(name) ? name : undefined;
}

/** `clary images build sklearn|pytorch|xgboost`: debootstrap base (cached) + runtimes/containers/Containerfile. */
export async function imagesBuildFramework(config: ClaryConfig, runtime: ImageRuntime, options: { onOutput?: (line: string) => void; signal?: AbortSignal } = {}): Promise<FrameworkBuild> {
  const { docker, engine } = await engineFor(config);
  try {
    return await buildFrameworkImage(docker, runtime, { mirror: config.containers.debianMirror, onProgress: options.onOutput, signal: options.signal });
  } finally {
    await engine?.close();
  }
}

export async function imagesList(config: ClaryConfig): Promise<ImagesListing> {
  const { docker, why, engine } = await engineFor(config);
  try {
    const images = await listLocalImages(docker);
    const byFramework = new Map<string, string[]>();
    for (const r of DEFAULT_REPOSITORIES) byFramework.set(r.framework, [...(byFramework.get(r.framework) ?? []), r.pattern.source.replace(/^\^|\$$/g, '')]);
    const toolkit = await toolkitHash();
    const lanes = await Promise.all(
      Object.values(DEFAULT_RUNTIMES).map(async (rt) => {
        const lane = config.containers.runtimeLanes[rt.framework] ?? ('process' as const);
        const row = { framework: rt.framework, repositories: byFramework.get(rt.framework) ?? [], lane, interpreter: rt.interpreter };
        if (!isImageRuntime(rt.framework)) return row;
        const built = await findFrameworkImage(docker, rt.framework);
        return { ...row, image: { name: built?.name ?? `clary/${rt.framework}:latest`, built: !!built, stale: !!built && built.toolkit !== toolkit } };
      }),
    );
    return { engine: why, images, lanes };
  } finally {
    await engine?.close();
  }
}

function size(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.round(bytes / 1e3)} kB`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export function formatImagesList(l: ImagesListing): string {
  const imageRows = [['IMAGE', 'ID', 'SIZE', 'CREATED']];
  for (const i of l.images) {
    const id = i.id.replace(/^sha256:/, '').slice(0, 12);
    for (const tag of i.tags.length > 0 ? i.tags : ['<none>']) imageRows.push([tag, id, size(i.sizeBytes), new Date(i.created).toISOString().slice(0, 19).replace('T', ' ')]);
  }
  const laneRows = [['FRAMEWORK', 'LANE', 'RUNTIME', 'FRAMEWORK IMAGE', 'IMAGE REPOSITORIES']];
  for (const f of l.lanes) {
    const image = !f.image ? '-' : !f.image.built ? `not built (clary images build ${f.framework})` : f.image.stale ? `${f.image.name} (older toolkit: rebuild)` : f.image.name;
    laneRows.push([f.framework, f.lane, f.lane === 'container' ? (f.image?.name ?? '-') : f.interpreter, image, f.repositories.join(', ')]);
  }
  laneRows.push(['(any other image)', 'container', '-', '-', 'runs as itself: `docker run IMAGE train`']);
  return [`Container engine: ${l.engine}`, '', table(imageRows), 'Which lane a TrainingImage takes:', table(laneRows)].join('\n');
}
