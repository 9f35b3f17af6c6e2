import { findFrameworkImage, type BuiltFrameworkImage, type ImageRuntime } from '../images/framework-images.js';
import type { ContainerLane } from '../runners/container/index.js';

export type FrameworkImageChoice =
  | { readonly ok: true; readonly built: BuiltFrameworkImage; readonly why: string; readonly shortId: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The built image of a framework runtime configured for the container lane (CLARY_RUNTIME_LANES),
 * or the ClientError a training job, endpoint or transform job fails with when there is none.
 */
export async function builtFrameworkImage(runtime: ImageRuntime, containers: ContainerLane | undefined): Promise<FrameworkImageChoice> {
  const why = `runtime ${runtime} is configured for containers (CLARY_RUNTIME_LANES)`;
  if (!containers) return { ok: false, reason: `ClientError: ${why}, but this Clary has no container lane. See docs/containers.md.` };
  let built;
  try {
    built = await findFrameworkImage(await containers.docker(), runtime);
  } catch (e) {
    return { ok: false, reason: `ClientError: ${why}, but no container engine is available: ${(e as Error).message}` };
  }
  if (!built) return { ok: false, reason: `ClientError: runtime ${runtime} is configured for the container lane but its image is not built: run \`clary images build ${runtime}\`` };
  return { ok: true, built, why, shortId: built.id.replace(/^sha256:/, '').slice(0, 12) };
}
