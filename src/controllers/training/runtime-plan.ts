import { matchRuntime } from '../../runtimes/image-map.js';
import { DEFAULT_RUNTIMES, isInstalled, notInstalledMessage } from '../../runtimes/runtimes.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';

/**
 * What runs a job on the process lane: its image's framework runtime with Clary's toolkit, as
 * `train` (script mode, or the framework's own entry) or the built-in XGBoost algorithm.
 */
export type RuntimePlan = { ok: true; command: string[]; description: string } | { ok: false; reason: string };

export function planTrainingRuntime(job: TrainingJobDoc): RuntimePlan {
  const image = job.AlgorithmSpecification?.TrainingImage ?? '';
  const match = matchRuntime(image);
  if (!match) {
    return {
      ok: false,
      reason: `ClientError: image ${image} is not a SageMaker framework image this Clary maps to a runtime, and the container lane (custom images) is not available yet. See docs/runtimes.md.`,
    };
  }
  if (match.purpose === 'inference') return { ok: false, reason: `ClientError: ${image} is an inference image; use a training image for training jobs.` };
  const rt = DEFAULT_RUNTIMES[match.framework];
  if (!isInstalled(rt)) return { ok: false, reason: `ClientError: ${notInstalledMessage(rt)}` };
  const scriptMode = job.HyperParameters?.sagemaker_program !== undefined || job.Environment?.SAGEMAKER_PROGRAM !== undefined;
  const builtin = match.framework === 'xgboost' && !scriptMode;
  return {
    ok: true,
    command: [rt.interpreter, '-m', 'clary_training', builtin ? 'xgboost-train' : 'train'],
    description: builtin ? 'built-in XGBoost algorithm' : `${match.framework} ${match.version ?? ''} script mode`.replace('  ', ' '),
  };
}
