import type { Workload, WorkloadEnum } from './types.js';

/**
 * Each workload is defined by one instance-type enum of the SageMaker service model, and named in
 * the region-availability error by its resource word ("training-job/ml.p2.xlarge"). Only the
 * training-job word is verified (aws/amazon-sagemaker-examples#1001); the others follow ARN names.
 */
export const WORKLOAD_SHAPES: Readonly<Record<Workload, { readonly shape: string; readonly resource: string }>> = {
  training: { shape: 'TrainingInstanceType', resource: 'training-job' },
  hosting: { shape: 'ProductionVariantInstanceType', resource: 'endpoint' },
  processing: { shape: 'ProcessingInstanceType', resource: 'processing-job' },
  transform: { shape: 'TransformInstanceType', resource: 'transform-job' },
  app: { shape: 'AppInstanceType', resource: 'app' },
  notebook: { shape: 'InstanceType', resource: 'notebook-instance' },
};

interface ModelWithEnums {
  readonly shapes: Readonly<Record<string, { readonly enum?: readonly string[] } | undefined>>;
}

/** Reads the workload enums, in the model's order, from a SageMaker model (botocore or compact). */
export function workloadEnums(model: ModelWithEnums): Record<Workload, WorkloadEnum> {
  const out = {} as Record<Workload, WorkloadEnum>;
  for (const [workload, { shape, resource }] of Object.entries(WORKLOAD_SHAPES) as [Workload, { shape: string; resource: string }][]) {
    const values = model.shapes[shape]?.enum;
    if (!values?.length) throw new Error(`the SageMaker model has no enum shape ${shape}`);
    out[workload] = { shape, resource, values: [...values] };
  }
  return out;
}
