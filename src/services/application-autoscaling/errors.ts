import { ServiceError } from '../../core/errors.js';

/** Application Auto Scaling's errors (JSON 1.1: __type and Message). */
export const validation = (message: string) => new ServiceError('ValidationException', message, 400);
export const objectNotFound = (message: string) => new ServiceError('ObjectNotFoundException', message, 400);
export const concurrentUpdate = () => new ServiceError('ConcurrentUpdateException', 'You already have a pending update to an Auto Scaling resource.', 400);
export const invalidNextToken = () => new ServiceError('InvalidNextTokenException', 'Invalid NextToken: it does not come from a previous call with these parameters.', 400);

export const UNSUPPORTED = 'Unsupported service namespace, resource type or scaling dimension';

export const targetNotFound = (resourceId: string, dimension: string) =>
  objectNotFound(`No scalable target registered for service namespace: sagemaker, resource ID: ${resourceId}, scalable dimension: ${dimension}`);
