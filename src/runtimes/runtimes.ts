import { spawnSync } from 'node:child_process';
import type { Framework } from './image-map.js';

/**
 * The framework runtimes this Clary can run on its process lane: an interpreter and the Python
 * modules that prove the framework is there. scikit-learn, PyTorch and XGBoost come from Debian
 * (python3-sklearn, python3-torch, python3-xgboost under /usr/bin/python3); the others run where an
 * interpreter for them is configured.
 */
export interface RuntimeDefinition {
  readonly framework: Framework;
  readonly interpreter: string;
  /** `import` names that must succeed. */
  readonly modules: readonly string[];
  /** How to add it, for the failure message when it is missing. */
  readonly install: string;
}

const DEBIAN_PYTHON = '/usr/bin/python3';

export const DEFAULT_RUNTIMES: Readonly<Record<Framework, RuntimeDefinition>> = {
  sklearn: { framework: 'sklearn', interpreter: DEBIAN_PYTHON, modules: ['sklearn', 'numpy'], install: 'apt-get install -y --no-install-recommends python3-sklearn' },
  pytorch: { framework: 'pytorch', interpreter: DEBIAN_PYTHON, modules: ['torch'], install: 'apt-get install -y --no-install-recommends python3-torch' },
  xgboost: { framework: 'xgboost', interpreter: DEBIAN_PYTHON, modules: ['xgboost', 'numpy'], install: 'apt-get install -y --no-install-recommends python3-xgboost' },
  tensorflow: { framework: 'tensorflow', interpreter: DEBIAN_PYTHON, modules: ['tensorflow'], install: 'configure an interpreter with TensorFlow installed (runtimes.tensorflow.interpreter), or run the image on the container lane' },
  huggingface: { framework: 'huggingface', interpreter: DEBIAN_PYTHON, modules: ['transformers', 'torch'], install: 'configure an interpreter with transformers and torch installed (runtimes.huggingface.interpreter)' },
  mxnet: { framework: 'mxnet', interpreter: DEBIAN_PYTHON, modules: ['mxnet'], install: 'configure an interpreter with MXNet installed (runtimes.mxnet.interpreter)' },
  chainer: { framework: 'chainer', interpreter: DEBIAN_PYTHON, modules: ['chainer'], install: 'configure an interpreter with Chainer installed (runtimes.chainer.interpreter)' },
  sparkml: { framework: 'sparkml', interpreter: DEBIAN_PYTHON, modules: ['pyspark'], install: 'configure an interpreter with PySpark installed (runtimes.sparkml.interpreter)' },
};

const cache = new Map<string, boolean>();

/** Whether the runtime's interpreter can import its modules (checked once per process). */
export function isInstalled(rt: RuntimeDefinition): boolean {
  const key = `${rt.interpreter}:${rt.modules.join(',')}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    const r = spawnSync(rt.interpreter, ['-c', rt.modules.map((m) => `import ${m}`).join('; ')], { stdio: 'ignore', timeout: 60_000 });
    ok = r.status === 0;
    cache.set(key, ok);
  }
  return ok;
}

export function notInstalledMessage(rt: RuntimeDefinition): string {
  return `runtime ${rt.framework} is not installed on this Clary: ${rt.install}`;
}
