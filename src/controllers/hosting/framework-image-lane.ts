import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import type { ImageRuntime } from '../../images/framework-images.js';
import { builtFrameworkImage } from '../framework-image-choice.js';
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
  const choice = await builtFrameworkImage(runtime, containers);
  if (!choice.ok) return choice;
  const { built, why, shortId } = choice;
  const framework = runtime === 'xgboost' && container.Environment?.SAGEMAKER_PROGRAM === undefined ? 'xgboost-algorithm' : runtime;
  return {
    ok: true,
    lane: 'container',
    image: built.id,
    containerPort: SERVE_PORT,
    env: { CLARY_INFERENCE_FRAMEWORK: framework },
    toolkit: true,
    description: `container lane: ${why}; ${built.name} (${shortId}) runs serve, Clary's ${framework} model server, listening on ${SERVE_PORT}`,
  };
}
