import Docker from 'dockerode';
import type { ClaryConfig } from '../core/config.js';
import { chooseEngine, openContainerEngine, ping, type ContainerEngine } from '../engine/index.js';
import { buildImage, listLocalImages, type LocalImage } from '../images/index.js';
import { DEFAULT_REPOSITORIES } from '../runtimes/image-map.js';
import { DEFAULT_RUNTIMES } from '../runtimes/runtimes.js';

export interface ImagesListing {
  readonly engine: string;
  readonly images: readonly LocalImage[];
  readonly lanes: readonly { framework: string; repositories: string[]; lane: 'process'; interpreter: string }[];
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

export async function imagesList(config: ClaryConfig): Promise<ImagesListing> {
  const { docker, why, engine } = await engineFor(config);
  try {
    const images = await listLocalImages(docker);
    const byFramework = new Map<string, string[]>();
    for (const r of DEFAULT_REPOSITORIES) byFramework.set(r.framework, [...(byFramework.get(r.framework) ?? []), r.pattern.source.replace(/^\^|\$$/g, '')]);
    const lanes = Object.values(DEFAULT_RUNTIMES).map((rt) => ({ framework: rt.framework, repositories: byFramework.get(rt.framework) ?? [], lane: 'process' as const, interpreter: rt.interpreter }));
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
  const laneRows = [['FRAMEWORK', 'LANE', 'RUNTIME', 'IMAGE REPOSITORIES']];
  for (const f of l.lanes) laneRows.push([f.framework, f.lane, f.interpreter, f.repositories.join(', ')]);
  laneRows.push(['(any other image)', 'container', '-', 'runs as itself: `docker run IMAGE train`']);
  return [`Container engine: ${l.engine}`, '', table(imageRows), 'Which lane a TrainingImage takes:', table(laneRows)].join('\n');
}
