import { validationException } from '../../core/errors.js';
import type { CreateTransformJobRequest } from '../../generated/types/sagemaker.js';
import { JsonPathError, parseJsonPath } from '../../controllers/transform/json-path.js';
import { parseS3Uri } from '../../controllers/training/s3-uri.js';

/**
 * Clary's rules for CreateTransformJob beyond what the model validator checks (required
 * members, enums, ranges): s3:// URIs, the split types and data sources Clary implements, the
 * JSONPath subset of DataProcessing (json-path.ts).
 */
export function validateCreateTransformJob(req: CreateTransformJobRequest): void {
  const src = req.TransformInput.DataSource.S3DataSource;
  if (!parseS3Uri(src.S3Uri)) throw validationException(`TransformInput.DataSource.S3DataSource.S3Uri ${src.S3Uri} is not a valid S3 URI.`);
  if (src.S3DataType === 'AugmentedManifestFile') {
    throw validationException('S3DataType AugmentedManifestFile is not supported for transform jobs by Clary; use S3Prefix or ManifestFile.');
  }
  if (req.TransformInput.SplitType === 'TFRecord') {
    throw validationException('SplitType TFRecord is not supported by Clary; use None, Line or RecordIO.');
  }
  if (!parseS3Uri(req.TransformOutput.S3OutputPath)) throw validationException(`TransformOutput.S3OutputPath ${req.TransformOutput.S3OutputPath} is not a valid S3 URI.`);
  for (const member of ['InputFilter', 'OutputFilter'] as const) {
    const path = req.DataProcessing?.[member];
    if (path === undefined) continue;
    try {
      parseJsonPath(path);
    } catch (e) {
      if (e instanceof JsonPathError) throw validationException(`DataProcessing.${member}: ${e.message}`);
      throw e;
    }
  }
}
