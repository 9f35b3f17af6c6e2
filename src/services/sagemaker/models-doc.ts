import { ServiceError, validationException } from '../../core/errors.js';
import type { ContainerDefinition, InferenceExecutionConfig, VpcConfig } from '../../generated/types/sagemaker.js';

/** Resource kind of models in the metadata store (id = ModelName). */
export const MODEL_KIND = 'model';

/**
 * The stored document of a model: DescribeModel's members with CreationTime as epoch ms.
 * Models are immutable (there is no UpdateModel).
 */
export interface ModelDoc {
  ModelName: string;
  ModelArn: string;
  PrimaryContainer?: ContainerDefinition;
  Containers?: ContainerDefinition[];
  InferenceExecutionConfig?: InferenceExecutionConfig;
  ExecutionRoleArn?: string;
  VpcConfig?: VpcConfig;
  EnableNetworkIsolation: boolean;
  CreationTime: number;
}

/** SageMaker's answer for a model that does not exist (ValidationException, with the ARN). */
export const modelNotFound = (arn: string): ServiceError => validationException(`Could not find model "${arn}".`);

export const modelExists = (arn: string): ServiceError => validationException(`Cannot create already existing model "${arn}".`);

/** The one container Clary runs for a model: PrimaryContainer, or the only member of Containers. */
export function servingContainer(doc: ModelDoc): ContainerDefinition | undefined {
  return doc.PrimaryContainer ?? (doc.Containers?.length === 1 ? doc.Containers[0] : undefined);
}

export function toDescribeModel(doc: ModelDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, CreationTime: new Date(doc.CreationTime), DeploymentRecommendation: undefined };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
