import type Docker from 'dockerode';
import { localImageId } from './image-resolver.js';

/**
 * Clary's framework images (runtimes/containers/Containerfile, docs/containers.md "Framework
 * images"): Debian's scikit-learn, PyTorch or XGBoost with the same training toolkit and inference
 * server the process lane runs. The runtime name is what CLARY_RUNTIME_LANES and
 * `clary images build <runtime>` take.
 */
export type ImageRuntime = 'sklearn' | 'pytorch' | 'xgboost';

export interface FrameworkImage {
  readonly runtime: ImageRuntime;
  /** Debian packages of the base root file system (debootstrap --include). */
  readonly packages: readonly string[];
  /**
   * SageMaker repository:tag names the image also gets, so a TrainingImage or model Image with
   * that repository and tag finds it locally (src/runtimes/image-map.ts knows the repositories).
   * The versions are Debian bookworm's: scikit-learn 1.2.1, PyTorch 1.13.1, XGBoost 1.7.4.
   */
  readonly sagemakerTags: readonly string[];
}

/** boto3 for S3 URIs in SAGEMAKER_SUBMIT_DIRECTORY (the toolkit has a standard-library fallback for training). */
const COMMON = ['python3', 'python3-boto3'];

export const FRAMEWORK_IMAGES: Readonly<Record<ImageRuntime, FrameworkImage>> = {
  sklearn: { runtime: 'sklearn', packages: [...COMMON, 'python3-sklearn', 'python3-pandas'], sagemakerTags: ['sagemaker-scikit-learn:1.2-1-cpu-py3'] },
  pytorch: {
    runtime: 'pytorch',
    packages: [...COMMON, 'python3-torch', 'python3-numpy'],
    sagemakerTags: ['pytorch-training:1.13-cpu-py311', 'pytorch-inference:1.13-cpu-py311'],
  },
  xgboost: { runtime: 'xgboost', packages: [...COMMON, 'python3-xgboost', 'python3-numpy', 'python3-scipy', 'python3-pandas'], sagemakerTags: ['sagemaker-xgboost:1.7-1'] },
};

export const IMAGE_RUNTIMES = Object.keys(FRAMEWORK_IMAGES) as ImageRuntime[];

export function isImageRuntime(name: string): name is ImageRuntime {
  return (IMAGE_RUNTIMES as string[]).includes(name);
}

/** The name every build tags, and the one the lanes run: `clary/<runtime>:latest`. */
export function frameworkImageName(runtime: ImageRuntime): string {
  return `clary/${runtime}:latest`;
}

/** The interpreter inside the images (Debian's), which the toolkit command names as on the process lane. */
export const IMAGE_PYTHON = '/usr/bin/python3';

export interface BuiltFrameworkImage {
  readonly name: string;
  readonly id: string;
  /** The toolkit hash it was built with (label clary.toolkit). */
  readonly toolkit: string | undefined;
  readonly sizeBytes: number;
}

/** The built image of a runtime, or undefined when `clary images build <runtime>` has not run. */
export async function findFrameworkImage(docker: Docker, runtime: ImageRuntime): Promise<BuiltFrameworkImage | undefined> {
  const name = frameworkImageName(runtime);
  for (const candidate of [name, `localhost/${name}`]) {
    const id = await localImageId(docker, candidate);
    if (!id) continue;
    const info = await docker.getImage(id).inspect();
    return { name: candidate, id, toolkit: info.Config?.Labels?.['clary.toolkit'], sizeBytes: info.Size };
  }
  return undefined;
}
