/**
 * Which framework runtime a SageMaker image URI means. The SageMaker Python SDK generates ECR URIs
 * such as `683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3` or
 * `763104351884.dkr.ecr.<region>.amazonaws.com/pytorch-training:2.1-cpu-py310`, in every region and
 * from several registry accounts; the repository name decides the framework. The table is config:
 * a deployment can map more repositories (see docs/runtimes.md).
 */
export type Framework = 'sklearn' | 'pytorch' | 'xgboost' | 'tensorflow' | 'huggingface' | 'mxnet' | 'chainer' | 'sparkml';

export interface ImageRef {
  readonly image: string;
  /** ECR registry account, when the URI is an ECR one. */
  readonly account?: string;
  readonly region?: string;
  readonly repository: string;
  readonly tag?: string;
}

export interface RuntimeMatch {
  readonly framework: Framework;
  readonly ref: ImageRef;
  /** Framework version from the tag (e.g. "1.2-1", "2.1"), when it has one. */
  readonly version?: string;
  readonly purpose: 'training' | 'inference' | 'any';
}

const ECR = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@.+)?$/;

export function parseImage(image: string): ImageRef {
  const m = ECR.exec(image);
  if (m) return { image, account: m[1], region: m[2], repository: m[3]!, tag: m[4] };
  const at = image.split('@')[0]!;
  const colon = at.lastIndexOf(':');
  const slash = at.lastIndexOf('/');
  return colon > slash ? { image, repository: at.slice(0, colon), tag: at.slice(colon + 1) } : { image, repository: at };
}

/** Repository name → framework and what the image is for. Order matters: first match wins. */
export const DEFAULT_REPOSITORIES: readonly { pattern: RegExp; framework: Framework; purpose: RuntimeMatch['purpose'] }[] = [
  { pattern: /^sagemaker-scikit-learn$/, framework: 'sklearn', purpose: 'any' },
  { pattern: /^sagemaker-xgboost$/, framework: 'xgboost', purpose: 'any' },
  { pattern: /^xgboost$/, framework: 'xgboost', purpose: 'any' },
  { pattern: /^huggingface-pytorch-(training|inference)(-neuronx?)?$/, framework: 'huggingface', purpose: 'any' },
  { pattern: /^huggingface-tensorflow-(training|inference)$/, framework: 'huggingface', purpose: 'any' },
  { pattern: /^pytorch-training(-neuronx?)?$/, framework: 'pytorch', purpose: 'training' },
  { pattern: /^pytorch-inference(-neuronx?|-graviton)?$/, framework: 'pytorch', purpose: 'inference' },
  { pattern: /^sagemaker-pytorch$/, framework: 'pytorch', purpose: 'any' },
  { pattern: /^tensorflow-(training|inference)(-neuron|-graviton)?$/, framework: 'tensorflow', purpose: 'any' },
  { pattern: /^sagemaker-tensorflow(-scriptmode|-serving)?$/, framework: 'tensorflow', purpose: 'any' },
  { pattern: /^mxnet-(training|inference)(-neuron)?$/, framework: 'mxnet', purpose: 'any' },
  { pattern: /^sagemaker-mxnet(-serving)?$/, framework: 'mxnet', purpose: 'any' },
  { pattern: /^sagemaker-chainer$/, framework: 'chainer', purpose: 'any' },
  { pattern: /^sagemaker-sparkml-serving$/, framework: 'sparkml', purpose: 'any' },
];

export function matchRuntime(image: string, repositories = DEFAULT_REPOSITORIES): RuntimeMatch | undefined {
  const ref = parseImage(image);
  const repo = ref.repository.split('/').pop()!;
  const hit = repositories.find((r) => r.pattern.test(repo));
  if (!hit) return undefined;
  const version = ref.tag ? /^(\d+(?:\.\d+)*(?:-\d+)?)/.exec(ref.tag)?.[1] : undefined;
  return { framework: hit.framework, ref, version, purpose: hit.purpose };
}
