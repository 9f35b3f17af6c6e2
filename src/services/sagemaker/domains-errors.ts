import { ServiceError } from '../../core/errors.js';

/**
 * SageMaker's errors for Studio resources (domains, user profiles, spaces): ResourceNotFound and
 * ResourceInUse (HTTP 400), naming the resource by its ARN in brackets as SageMaker does
 * ("Unable to delete UserProfile [arn:…] because App(s) are associated with it.").
 */
export const resourceNotFound = (message: string) => new ServiceError('ResourceNotFound', message, 400);
export const resourceInUse = (message: string) => new ServiceError('ResourceInUse', message, 400);

export const domainNotFound = (arn: string) => resourceNotFound(`Domain [${arn}] does not exist.`);
export const userProfileNotFound = (arn: string) => resourceNotFound(`UserProfile [${arn}] does not exist.`);
export const spaceNotFound = (arn: string) => resourceNotFound(`Space [${arn}] does not exist.`);
