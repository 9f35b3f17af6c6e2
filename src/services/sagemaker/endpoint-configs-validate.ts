import { sagemakerArn, type ArnScope } from '../../core/arn.js';
import { validationException } from '../../core/errors.js';
import { assertAvailableIn, assertInstanceTypeFor } from '../../compute/catalog/index.js';
import type { CreateEndpointConfigInput } from '../../generated/types/sagemaker.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import type { StoredVariant } from './endpoint-configs-doc.js';
import { MODEL_KIND, modelNotFound } from './models-doc.js';
import { isS3Uri } from './training-jobs-validate.js';

const unsupported = (what: string, instead: string) => validationException(`${what} is not supported by Clary: ${instead}`);

/**
 * CreateEndpointConfig's checks beyond the official model: instance-backed variants only (no
 * serverless, inference components, instance pools), unique variant names, hosting instance types
 * the region offers, models that exist. Returns the variants with SageMaker's defaults filled in.
 */
export async function validateCreateEndpointConfig(input: CreateEndpointConfigInput, store: MetadataStore, scope: ArnScope): Promise<StoredVariant[]> {
  const out3 = input.AsyncInferenceConfig?.OutputConfig;
  if (input.AsyncInferenceConfig && !out3?.S3OutputPath) throw unsupported('AsyncInferenceConfig.OutputConfig without S3OutputPath', 'give OutputConfig.S3OutputPath (Clary does not send SNS notifications).');
  for (const [member, uri] of [['s3OutputPath', out3?.S3OutputPath], ['s3FailurePath', out3?.S3FailurePath]] as const) {
    if (uri !== undefined && !isS3Uri(uri)) throw validationException(`Value '${uri}' at 'asyncInferenceConfig.outputConfig.${member}' failed to satisfy constraint: Member must be an S3 URI of the form s3://bucket/prefix`);
  }
  if (input.ShadowProductionVariants?.length) throw unsupported('ShadowProductionVariants', 'shadow variants are not available; leave them out.');
  if (input.ExplainerConfig) throw unsupported('ExplainerConfig', 'SageMaker Clarify explainers are not available; leave it out.');
  if (input.DataCaptureConfig && !isS3Uri(input.DataCaptureConfig.DestinationS3Uri)) {
    throw validationException(`Value '${input.DataCaptureConfig.DestinationS3Uri}' at 'dataCaptureConfig.destinationS3Uri' failed to satisfy constraint: Member must be an S3 URI of the form s3://bucket/prefix`);
  }
  const seen = new Set<string>();
  const out: StoredVariant[] = [];
  for (const [i, v] of input.ProductionVariants.entries()) {
    const path = `productionVariants.${i + 1}.member`;
    if (v.ServerlessConfig) throw unsupported(`ServerlessConfig (variant ${v.VariantName})`, 'serverless endpoints are not available; give InstanceType and InitialInstanceCount.');
    if (v.InstancePools?.length) throw unsupported(`InstancePools (variant ${v.VariantName})`, 'give InstanceType.');
    if (v.AcceleratorType) throw unsupported(`AcceleratorType (variant ${v.VariantName})`, 'Elastic Inference is retired; use an instance type with accelerators.');
    if (seen.has(v.VariantName.toLowerCase())) throw validationException(`The variant name(s) [${v.VariantName}] are used more than once. Variant names must be unique within an endpoint configuration.`);
    seen.add(v.VariantName.toLowerCase());
    if (!v.ModelName) throw unsupported(`A variant without ModelName (${v.VariantName})`, 'inference components are not available; give ModelName.');
    if (!v.InstanceType) throw validationException(`Value null at '${path}.instanceType' failed to satisfy constraint: Member must not be null`);
    if (v.InitialInstanceCount === undefined) throw validationException(`Value null at '${path}.initialInstanceCount' failed to satisfy constraint: Member must not be null`);
    if (v.InitialInstanceCount < 1) throw validationException(`Value '${v.InitialInstanceCount}' at '${path}.initialInstanceCount' failed to satisfy constraint: Member must have value greater than or equal to 1`);
    assertInstanceTypeFor('hosting', v.InstanceType, `${path}.instanceType`);
    assertAvailableIn('hosting', v.InstanceType, scope.region);
    if (!(await store.getResource(MODEL_KIND, v.ModelName))) throw modelNotFound(sagemakerArn(scope, 'model', v.ModelName));
    out.push({ ...v, ModelName: v.ModelName, InstanceType: v.InstanceType, InitialInstanceCount: v.InitialInstanceCount, InitialVariantWeight: v.InitialVariantWeight ?? 1 });
  }
  return out;
}
