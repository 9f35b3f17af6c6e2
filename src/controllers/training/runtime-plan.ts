import { IMAGE_PYTHON } from '../../images/framework-images.js';
import { matchRuntime, type Framework } from '../../runtimes/image-map.js';
import { DEFAULT_RUNTIMES, isInstalled, notInstalledMessage } from '../../runtimes/runtimes.js';
import type { TrainingJobDoc } from '../../services/sagemaker/training-jobs-doc.js';

/**
 * What runs a job with a framework runtime: Clary's toolkit, as `train` (script mode, or the
 * framework's own entry) or the built-in XGBoost algorithm. On the process lane the interpreter is
 * the runtime's (it must be installed on this machine); on the container lane it is the framework
 * image's (the toolkit is baked in at the same path).
 */
export type RuntimePlan = { ok: true; framework: Framework; command: string[]; description: string } | { ok: false; reason: string };

export function planTrainingRuntime(job: TrainingJobDoc, lane: 'process' | 'container' = 'process'): RuntimePlan {
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
  if (lane === 'process' && !isInstalled(rt)) return { ok: false, reason: `ClientError: ${notInstalledMessage(rt)}` };
  const scriptMode = job.HyperParameters?.sagemaker_program !== undefined || job.Environment?.SAGEMAKER_PROGRAM !== undefined;
  const builtin = match.framework === 'xgboost' && !scriptMode;
  return {
    ok: true,
    framework: match.framework,
    command: [lane === 'process' ? rt.interpreter : IMAGE_PYTHON, '-m', 'clary_training', builtin ? 'xgboost-train' : 'train'],
    description: builtin ? 'built-in XGBoost algorithm' : `${match.framework} ${match.version ?? ''} script mode`.replace('  ', ' '),
  };
}
