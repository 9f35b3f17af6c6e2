import { UNSUPPORTED, validation } from './errors.js';
import { SAGEMAKER_DIMENSION } from './shapes.js';

const VARIANT_RESOURCE = /^endpoint\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})\/variant\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})$/;

/** Clary scales SageMaker endpoint variants only: anything else is AAS's "unsupported" ValidationException. */
export function checkNamespace(namespace: string): void {
  if (namespace !== 'sagemaker') throw validation(`${UNSUPPORTED}. Clary scales SageMaker endpoint variants only (ServiceNamespace sagemaker; got ${namespace}).`);
}

export function checkDimension(dimension: string | undefined): void {
  if (dimension !== undefined && dimension !== SAGEMAKER_DIMENSION) throw validation(`${UNSUPPORTED}. Clary scales ${SAGEMAKER_DIMENSION} only (got ${dimension}).`);
}

/** `endpoint/<name>/variant/<variant>` → its parts. */
export function parseVariantResource(resourceId: string): { endpoint: string; variant: string } {
  const m = VARIANT_RESOURCE.exec(resourceId);
  if (!m) throw validation(`${UNSUPPORTED}. A SageMaker variant's ResourceId is endpoint/<endpoint-name>/variant/<variant-name> (got ${resourceId.slice(0, 300)}).`);
  return { endpoint: m[1]!, variant: m[2]! };
}

/** The three identifying members of a target, checked. */
export function checkTargetKey(input: { ServiceNamespace: string; ResourceId: string; ScalableDimension: string }): { endpoint: string; variant: string } {
  checkNamespace(input.ServiceNamespace);
  checkDimension(input.ScalableDimension);
  return parseVariantResource(input.ResourceId);
}
