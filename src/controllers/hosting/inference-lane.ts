import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import type { ContainerLane } from '../../runners/container/index.js';
import { matchRuntime } from '../../runtimes/image-map.js';
import { planInference, type InferencePlan } from './inference-plan.js';
import { isImageRuntime } from '../../images/framework-images.js';
import { frameworkInferenceLane } from './framework-image-lane.js';

/** The image label that says the server listens on SAGEMAKER_BIND_TO_PORT (inference pipelines, contract §5.1). */
export const BIND_TO_PORT_LABEL = 'com.amazonaws.sagemaker.capabilities.accept-bind-to-port';
/** SageMaker's port for `serve`. */
export const SERVE_PORT = 8080;

export type InferenceLanePlan =
  | { readonly ok: true; readonly lane: 'process'; readonly plan: Extract<InferencePlan, { ok: true }>; readonly description: string }
  | {
      readonly ok: true;
      readonly lane: 'container';
      /** Local image id the engine runs (resolved once: a re-tag later changes nothing). */
      readonly image: string;
      /** The port the server listens on inside the container: 8080, or SAGEMAKER_BIND_TO_PORT when the image accepts it. */
      readonly containerPort: number;
      /** Variables the platform adds (SAGEMAKER_BIND_TO_PORT, SAGEMAKER_SAFE_PORT_RANGE) when the image has the label. */
      readonly env: Readonly<Record<string, string>>;
      readonly description: string;
      /** A Clary framework image (CLARY_RUNTIME_LANES, framework-image-lane.ts): an S3 SAGEMAKER_SUBMIT_DIRECTORY is mounted at /opt/ml/code. */
      readonly toolkit?: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Which lane runs a model's container (docs/containers.md, mirroring training's lane.ts): an image
 * src/runtimes/image-map.ts knows as a SageMaker framework image runs on the process lane with
 * Clary's inference server for that framework; any other image runs as itself on the container
 * lane — `docker run IMAGE serve`, listening on 8080 inside. `description` (the lane and why) is
 * the first line of each instance's log stream and part of its failure reasons.
 */
export async function chooseInferenceLane(container: ContainerDefinition, containers: ContainerLane | undefined, runtimeLanes: Readonly<Record<string, string>> = {}): Promise<InferenceLanePlan> {
  const image = container.Image ?? '';
  const match = image ? matchRuntime(image) : undefined;
  if (match && runtimeLanes[match.framework] === 'container' && isImageRuntime(match.framework)) return frameworkInferenceLane(container, { ...match, framework: match.framework }, containers);
  if (!image || match) {
    const plan = planInference(container);
    if (!plan.ok) return plan;
    return { ok: true, lane: 'process', plan, description: `process lane: image ${image} is a SageMaker framework image, served by Clary's ${plan.framework} model server (${plan.interpreter})` };
  }
  const why = `image ${image} is not a SageMaker framework image, so it runs as a container`;
  if (!containers) return { ok: false, reason: `ClientError: ${why}, and this Clary has no container lane. See docs/containers.md.` };
  let resolved;
  let labels: Record<string, string> = {};
  try {
    resolved = await containers.resolve(image);
    if (resolved.ok) labels = (await (await containers.docker()).getImage(resolved.id).inspect()).Config?.Labels ?? {};
  } catch (e) {
    return { ok: false, reason: `ClientError: ${why}, but no container engine is available: ${(e as Error).message}` };
  }
  if (!resolved.ok) return { ok: false, reason: `ClientError: ${why}: ${resolved.reason}` };
  const bind = labels[BIND_TO_PORT_LABEL] === 'true';
  const containerPort = bind ? bindPort() : SERVE_PORT;
  const env: Record<string, string> = bind ? { SAGEMAKER_BIND_TO_PORT: String(containerPort), SAGEMAKER_SAFE_PORT_RANGE: SAFE_PORT_RANGE } : {};
  const short = resolved.id.replace(/^sha256:/, '').slice(0, 12);
  const listens = bind ? `on SAGEMAKER_BIND_TO_PORT=${containerPort} (its label ${BIND_TO_PORT_LABEL}=true)` : `on ${SERVE_PORT}`;
  return {
    ok: true,
    lane: 'container',
    image: resolved.id,
    containerPort,
    env,
    description: `container lane: ${why}; local image ${resolved.local} (${short}) runs serve (after the image's ENTRYPOINT, if any), listening ${listens}`,
  };
}

/** Ports a bind-to-port server may use for side servers; its own port is outside the range. */
const SAFE_PORT_RANGE = '10000-10999';

/** A port other than 8080 (so a server that ignores the variable fails its health check, as on SageMaker). */
function bindPort(): number {
  return 9000 + Math.floor(Math.random() * 1000);
}
