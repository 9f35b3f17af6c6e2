import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import { findFrameworkImage, type ImageRuntime } from '../../images/framework-images.js';
import type { ContainerLane } from '../../runners/container/index.js';
import type { RuntimeMatch } from '../../runtimes/image-map.js';
import { SERVE_PORT, type InferenceLanePlan } from './inference-lane.js';

/**
 * A framework runtime configured for the container lane (CLARY_RUNTIME_LANES): its built framework
 * image (runtimes/containers) runs `serve` — Clary's inference server on 8080, with
 * CLARY_INFERENCE_FRAMEWORK as the process lane sets it. An S3 SAGEMAKER_SUBMIT_DIRECTORY is
 * staged on the host and mounted at /opt/ml/code (`toolkit: true` tells the caller to).
 */
export async function frameworkInferenceLane(
  container: ContainerDefinition,
  match: RuntimeMatch & { framework: ImageRuntime },
  containers: ContainerLane | undefined,
): Promise<InferenceLanePlan> {
  const image = container.Image ?? '';
  const runtime = match.framework;
  if (match.purpose === 'training') return { ok: false, reason: `ClientError: ${image} is a training image; use the framework's inference image for a model.` };
  const why = `runtime ${runtime} is configured for containers (CLARY_RUNTIME_LANES)`;
  if (!containers) return { ok: false, reason: `ClientError: ${why}, but this Clary has no container lane. See docs/containers.md.` };
  let built;
  try {
    built = await findFrameworkImage(await containers.docker(), runtime);
  } catch (e) {
    return { ok: false, reason: `ClientError: ${why}, but no container engine is available: ${(e as Error).message}` };
  }
  if (!built) return { ok: false, reason: `ClientError: runtime ${runtime} is configured for the container lane but its image is not built: run \`clary images build ${runtime}\`` };
  const framework = runtime === 'xgboost' && container.Environment?.SAGEMAKER_PROGRAM === undefined ? 'xgboost-algorithm' : runtime;
  return {
    ok: true,
    lane: 'container',
    image: built.id,
    containerPort: SERVE_PORT,
    env: { CLARY_INFERENCE_FRAMEWORK: framework },
    toolkit: true,
    description: `container lane: ${why}; ${built.name} (${built.id.replace(/^sha256:/, '').slice(0, 12)}) runs serve, Clary's ${framework} model server, listening on ${SERVE_PORT}`,
  };
}
