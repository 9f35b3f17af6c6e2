import { matchRuntime } from '../../runtimes/image-map.js';
import { DEFAULT_RUNTIMES, isInstalled, notInstalledMessage } from '../../runtimes/runtimes.js';
import type { ContainerDefinition } from '../../generated/types/sagemaker.js';

/** The model servers Clary's inference runtime (runtimes/python/clary_inference) implements. */
export type InferenceFramework = 'sklearn' | 'pytorch' | 'xgboost' | 'xgboost-algorithm';

export type InferencePlan = { ok: true; interpreter: string; framework: InferenceFramework } | { ok: false; reason: string };

/**
 * How a model's container runs on the process lane: its image's framework runtime serving with
 * Clary's inference server. The SageMaker XGBoost image without SAGEMAKER_PROGRAM serves the
 * built-in algorithm's model; with one, the user's script (framework mode).
 */
export function planInference(container: ContainerDefinition): InferencePlan {
  const image = container.Image ?? '';
  const match = matchRuntime(image);
  if (!match) {
    return { ok: false, reason: `ClientError: image ${image} is not a SageMaker framework image this Clary maps to a runtime, and the container lane (custom images) is not available yet. See docs/hosting.md.` };
  }
  if (match.purpose === 'training') return { ok: false, reason: `ClientError: ${image} is a training image; use the framework's inference image for a model.` };
  if (match.framework !== 'sklearn' && match.framework !== 'pytorch' && match.framework !== 'xgboost') {
    return { ok: false, reason: `ClientError: Clary cannot serve ${match.framework} models yet (image ${image}); scikit-learn, PyTorch and XGBoost are served. See docs/hosting.md.` };
  }
  const rt = DEFAULT_RUNTIMES[match.framework];
  if (!isInstalled(rt)) return { ok: false, reason: `ClientError: ${notInstalledMessage(rt)}` };
  const scriptMode = container.Environment?.SAGEMAKER_PROGRAM !== undefined;
  return { ok: true, interpreter: rt.interpreter, framework: match.framework === 'xgboost' && !scriptMode ? 'xgboost-algorithm' : match.framework };
}
