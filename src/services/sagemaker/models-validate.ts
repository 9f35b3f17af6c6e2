import { validationException } from '../../core/errors.js';
import type { ContainerDefinition, CreateModelInput } from '../../generated/types/sagemaker.js';
import { isS3Uri } from './training-jobs-validate.js';

/**
 * CreateModel's checks beyond the official model: one container (Clary serves single-container
 * models; serial inference pipelines are refused with a message that says so), an image, model
 * data from S3 as a .tar.gz (ModelDataUrl, or ModelDataSource.S3DataSource with Gzip) or none.
 */
const unsupported = (what: string, instead: string) => validationException(`${what} is not supported by Clary: ${instead}`);

export function validateCreateModel(input: CreateModelInput): ContainerDefinition {
  if (input.PrimaryContainer && input.Containers?.length) {
    throw validationException('Only one of PrimaryContainer or Containers can be specified.');
  }
  const container = input.PrimaryContainer ?? (input.Containers?.length === 1 ? input.Containers[0] : undefined);
  if (!container && input.Containers && input.Containers.length > 1) {
    throw unsupported('A model with several Containers (serial inference pipeline)', 'Clary runs single-container models; give PrimaryContainer or one member of Containers.');
  }
  if (!container) throw validationException('You must specify either PrimaryContainer or Containers.');
  if (input.InferenceExecutionConfig?.Mode === 'Direct') throw unsupported('InferenceExecutionConfig.Mode Direct', 'multi-container endpoints are not available.');
  if (container.ModelPackageName !== undefined) throw unsupported('ContainerDefinition.ModelPackageName', 'model packages are not available yet; give Image and ModelDataUrl.');
  if (!container.Image) throw validationException('Value null at \'primaryContainer.image\' failed to satisfy constraint: Member must not be null');
  if (container.Mode === 'MultiModel') throw unsupported('ContainerDefinition.Mode MultiModel', 'multi-model endpoints are not available yet.');
  if (container.AdditionalModelDataSources?.length) throw unsupported('ContainerDefinition.AdditionalModelDataSources', 'give one ModelDataUrl.');
  if (container.ModelDataUrl !== undefined && container.ModelDataSource !== undefined) {
    throw validationException('Only one of ModelDataUrl or ModelDataSource can be specified.');
  }
  if (container.ModelDataUrl !== undefined && !isS3Uri(container.ModelDataUrl)) {
    throw validationException(`Could not access model data at ${container.ModelDataUrl}. Please ensure that the model data is an S3 URI of the form s3://bucket/key.`);
  }
  const s3 = container.ModelDataSource?.S3DataSource;
  if (container.ModelDataSource && !s3) throw unsupported('ModelDataSource without S3DataSource', 'give ModelDataSource.S3DataSource.');
  if (s3) {
    if (!isS3Uri(s3.S3Uri)) throw validationException(`Could not access model data at ${s3.S3Uri}. Please ensure that the model data is an S3 URI of the form s3://bucket/key.`);
    if (s3.S3DataType === 'S3Prefix' && s3.CompressionType !== 'None') {
      throw validationException('CompressionType must be None when S3DataType is S3Prefix.');
    }
    if (s3.S3DataType === 'S3Object' && s3.CompressionType !== 'Gzip') {
      throw unsupported('ModelDataSource.S3DataSource S3Object with CompressionType None', 'give a .tar.gz with CompressionType Gzip, or an S3Prefix with CompressionType None.');
    }
  }
  return container;
}
