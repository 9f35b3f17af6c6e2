import { ServiceError, validationException } from '../../core/errors.js';
import { getCatalog, priceFor, workloadEnum } from './catalog.js';
import type { Workload } from './types.js';

/**
 * Throws the ValidationException SageMaker gives for an instance type outside the workload's
 * enum, word for word: "1 validation error detected: Value 'ml.t2.medium' at
 * 'resourceConfig.instanceType' failed to satisfy constraint: Member must satisfy enum value set: [...]"
 * with the whole enum in the model's order. `memberPath` is AWS's camelCase path to the member.
 */
export function assertInstanceTypeFor(workload: Workload, type: string, memberPath: string): void {
  const { values } = workloadEnum(workload);
  if (values.includes(type)) return;
  throw validationException(
    `1 validation error detected: Value '${type}' at '${memberPath}' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${values.join(', ')}]`,
  );
}

/**
 * Throws SageMaker's ResourceLimitExceeded "The requested resource training-job/ml.p2.xlarge is
 * not available in this region" when the catalog has no price for the type in `region`. A region
 * the catalog does not price at all is not checked (nothing is known about it).
 */
export function assertAvailableIn(workload: Workload, type: string, region: string): void {
  if (getCatalog().regions[region] === undefined) return;
  if (priceFor(type, region) !== undefined) return;
  if (!type.startsWith('ml.')) return; // "system" and the like run on Clary's own capacity
  throw new ServiceError(
    'ResourceLimitExceeded',
    `The requested resource ${workloadEnum(workload).resource}/${type} is not available in this region`,
    400,
  );
}
