import { ServiceError } from '../../core/errors.js';

/**
 * SageMaker's synchronous refusal on Create* when a quota would be exceeded, in its current
 * wording (the older one ended "Please contact AWS support to request an increase for this limit.").
 */
export const quotaExceeded = (name: string, value: number, utilization: number, delta: number): ServiceError =>
  new ServiceError(
    'ResourceLimitExceeded',
    `The account-level service limit '${name}' is ${value} Instances, with current utilization of ${utilization} Instances ` +
      `and a request delta of ${delta} Instances. Please use AWS Service Quotas to request an increase for this quota. ` +
      'If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.',
    400,
  );
