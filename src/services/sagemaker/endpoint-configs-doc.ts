import { ServiceError, validationException } from '../../core/errors.js';
import type { AsyncInferenceConfig, DataCaptureConfig, ProductionVariant, VpcConfig } from '../../generated/types/sagemaker.js';

/** Resource kind of endpoint configurations in the metadata store (id = EndpointConfigName). */
export const ENDPOINT_CONFIG_KIND = 'endpoint-config';

/** A variant as Clary stores it: the members it serves with are always present. */
export type StoredVariant = ProductionVariant & { ModelName: string; InstanceType: string; InitialInstanceCount: number; InitialVariantWeight: number };

/** DescribeEndpointConfig's members, CreationTime as epoch ms. Endpoint configurations are immutable. */
export interface EndpointConfigDoc {
  EndpointConfigName: string;
  EndpointConfigArn: string;
  ProductionVariants: StoredVariant[];
  DataCaptureConfig?: DataCaptureConfig;
  AsyncInferenceConfig?: AsyncInferenceConfig;
  KmsKeyId?: string;
  ExecutionRoleArn?: string;
  VpcConfig?: VpcConfig;
  EnableNetworkIsolation?: boolean;
  CreationTime: number;
}

/** SageMaker names the configuration, not its ARN, in this one. */
export const endpointConfigNotFound = (name: string): ServiceError => validationException(`Could not find endpoint configuration "${name}".`);

export const endpointConfigExists = (arn: string): ServiceError => validationException(`Cannot create already existing endpoint configuration "${arn}".`);

export function toDescribeEndpointConfig(doc: EndpointConfigDoc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc, CreationTime: new Date(doc.CreationTime) };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
