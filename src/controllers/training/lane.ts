import { join } from 'node:path';
import { isImageRuntime } from '../../images/framework-images.js';
import { builtFrameworkImage } from '../framework-image-choice.js';
import type { ContainerInstanceSpec, ContainerLane } from '../../runners/container/index.js';
import type { InstanceSpec } from '../../runners/runner.js';
import { matchRuntime } from '../../runtimes/image-map.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';
import { planTrainingRuntime } from './runtime-plan.js';
import type { InstanceWorkspace } from './workspace.js';

/**
 * Which lane runs a training job (docs/containers.md): an image src/runtimes/image-map.ts knows
 * as a SageMaker framework image runs on the process lane with the framework's runtime; any other
 * image runs as itself on the container lane — `docker run IMAGE train`, or its
 * ContainerEntrypoint/ContainerArguments. A framework runtime configured for containers
 * (CLARY_RUNTIME_LANES) runs on the container lane with its built framework image and the process
 * lane's toolkit command (`toolkit: true`). `description` (the lane and why) goes into the job's
 * StatusMessage.
 */
export type TrainingPlan =
  | { readonly ok: true; readonly lane: 'process'; readonly command: string[]; readonly description: string }
  | {
      readonly ok: true;
      readonly lane: 'container';
      readonly command: string[];
      readonly entrypoint?: string[];
      /** Local image id the engine runs (resolved once, so a re-tag mid-job changes nothing). */
      readonly image: string;
      readonly description: string;
      /** A Clary framework image: the toolkit is baked in, so the process lane's environment and working directory apply. */
      readonly toolkit?: boolean;
    }
  | { readonly ok: false; readonly reason: string };

export async function chooseTrainingLane(
  job: TrainingJobDoc,
  containers: ContainerLane | undefined,
  runtimeLanes: Readonly<Record<string, 'process' | 'container'>> = {},
): Promise<TrainingPlan> {
  const algo = job.AlgorithmSpecification;
  const image = algo?.TrainingImage ?? '';
  const match = image ? matchRuntime(image) : undefined;
  if (match && runtimeLanes[match.framework] === 'container' && isImageRuntime(match.framework)) return frameworkOnContainers(job, match.framework, containers);
  if (!image || match) {
    const plan = planTrainingRuntime(job);
    return plan.ok ? { ...plan, lane: 'process' } : plan;
  }
  const why = `image ${image} is not a SageMaker framework image, so it runs as a container`;
  if (!containers) return { ok: false, reason: `ClientError: ${why}, and this Clary has no container lane. See docs/containers.md.` };
  let resolved;
  try {
    resolved = await containers.resolve(image);
  } catch (e) {
    return { ok: false, reason: `ClientError: ${why}, but no container engine is available: ${(e as Error).message}` };
  }
  if (!resolved.ok) return { ok: false, reason: `ClientError: ${why}: ${resolved.reason}` };
  const entrypoint = algo?.ContainerEntrypoint?.length ? [...algo.ContainerEntrypoint] : undefined;
  const args = algo?.ContainerArguments ? [...algo.ContainerArguments] : undefined;
  const command = entrypoint ? (args ?? []) : args?.length ? args : ['train'];
  const shown = entrypoint ? [...entrypoint, ...command].join(' ') : `${command.join(' ')} (after the image's ENTRYPOINT, if any)`;
  return {
    ok: true,
    lane: 'container',
    command,
    entrypoint,
    image: resolved.id,
    description: `container lane: ${why}; local image ${resolved.local} (${resolved.id.replace(/^sha256:/, '').slice(0, 12)}) runs ${shown}`,
  };
}

/** A framework runtime configured for the container lane: its built image runs the toolkit's command. */
async function frameworkOnContainers(job: TrainingJobDoc, runtime: 'sklearn' | 'pytorch' | 'xgboost', containers: ContainerLane | undefined): Promise<TrainingPlan> {
  const plan = planTrainingRuntime(job, 'container');
  if (!plan.ok) return plan;
  const choice = await builtFrameworkImage(runtime, containers);
  if (!choice.ok) return choice;
  const { built, why, shortId } = choice;
  return {
    ok: true,
    lane: 'container',
    command: plan.command,
    image: built.id,
    toolkit: true,
    description: `container lane: ${why}; ${plan.description} in ${built.name} (${shortId})`,
  };
}

/** Variables only the process lane's toolkit needs; a container image brings its own environment. */
const PROCESS_LANE_ONLY = ['PYTHONPATH', 'HOME'];

/**
 * The instance spec as the chosen lane needs it. Container lane: the image and its command, the
 * image's working directory, no Clary toolkit mount or variables, the job's network as the
 * process lane would have it (private: the container joins the instance's namespace; see
 * docs/networking.md), and the failure file for a command the engine cannot run.
 */
export function specForLane(plan: TrainingPlan, spec: InstanceSpec, ws: InstanceWorkspace, userEnv: Readonly<Record<string, string>> = {}): InstanceSpec {
  if (!plan.ok || plan.lane !== 'container') return spec;
  const env = plan.toolkit ? { ...spec.env } : Object.fromEntries(Object.entries(spec.env).filter(([k]) => !PROCESS_LANE_ONLY.includes(k) || k in userEnv));
  const out: ContainerInstanceSpec = {
    ...spec,
    image: plan.image,
    entrypoint: plan.entrypoint,
    command: plan.command,
    workDir: plan.toolkit ? spec.workDir : undefined,
    env,
    mounts: spec.mounts.filter((m) => m.sandboxPath !== '/opt/clary/toolkit'),
    network: spec.network, // private too: the container joins its instance's namespace (docs/networking.md)
    startErrorFile: join(ws.output, 'failure'),
  };
  return out;
}
