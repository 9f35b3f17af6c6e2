import type Docker from 'dockerode';
import { localCandidates, parseImageName } from './image-candidates.js';
import { DEFAULT_REGISTRY, registryReachable } from './registry-reachable.js';

export const NOT_FOUND_MESSAGE = 'image not found locally and no registry reachable: build or load it first (podman load / podman import / clary images build)';

export type ImageResolution =
  | { readonly ok: true; readonly uri: string; /** The local name the engine is given. */ readonly local: string; readonly id: string; readonly pulled: boolean }
  | { readonly ok: false; readonly uri: string; readonly reason: string; readonly tried: readonly string[] };

export interface ResolveOptions {
  /** Reachability check (tests pass their own); default: a TCP connect to the registry's port 443. */
  readonly reachable?: (registry: string) => Promise<boolean>;
  /** How long a pull may take (default 10 minutes). */
  readonly pullTimeoutMs?: number;
}

/** Is `name` a local image? Its id, or undefined. */
export async function localImageId(docker: Docker, name: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(name).inspect()).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/**
 * TrainingImage → a local image: the candidates of localCandidates() in order; when none is
 * there, a pull only if the registry answers (ECR URIs are never pulled: Clary has no ECR
 * credentials to offer), otherwise a failure that says what to do.
 */
export async function resolveImage(docker: Docker, uri: string, options: ResolveOptions = {}): Promise<ImageResolution> {
  const tried = localCandidates(uri);
  for (const name of tried) {
    const id = await localImageId(docker, name);
    if (id) return { ok: true, uri, local: name, id, pulled: false };
  }
  const registry = parseImageName(uri).registry ?? DEFAULT_REGISTRY;
  const ecr = /\.dkr\.ecr\./.test(registry);
  const reachable = !ecr && registry !== 'localhost' && (await (options.reachable ?? registryReachable)(registry));
  if (!reachable) return { ok: false, uri, reason: `${NOT_FOUND_MESSAGE} (looked for ${tried.join(', ')})`, tried };
  try {
    await pull(docker, uri, options.pullTimeoutMs ?? 600_000);
  } catch (e) {
    return { ok: false, uri, reason: `image not found locally, and pulling ${uri} failed: ${(e as Error).message}`, tried };
  }
  const id = await localImageId(docker, uri);
  return id ? { ok: true, uri, local: uri, id, pulled: true } : { ok: false, uri, reason: `pulled ${uri} but the engine does not list it`, tried };
}

function pull(docker: Docker, uri: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`pull did not finish within ${timeoutMs} ms`)), timeoutMs);
    docker.pull(uri, (err: Error | null, stream: NodeJS.ReadableStream) => {
      if (err) {
        clearTimeout(timer);
        return reject(err);
      }
      docker.modem.followProgress(stream, (e: Error | null) => {
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      });
    });
  });
}
