import { ServiceError } from '../../core/errors.js';

export const groupNotFound = () => new ServiceError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
export const streamNotFound = () => new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);
export const invalidToken = () => new ServiceError('InvalidParameterException', 'The specified nextToken is invalid.', 400);
