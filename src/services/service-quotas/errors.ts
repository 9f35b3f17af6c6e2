import { ServiceError } from '../../core/errors.js';

/** Service Quotas' own errors, as the service words them. */
export const noSuchService = () => new ServiceError('NoSuchResourceException', 'The request failed because the specified service does not exist.', 400);

export const noSuchQuota = (code: string) => new ServiceError('NoSuchResourceException', `The request failed because the specified quota ${code} does not exist.`, 400);

export const noSuchRequest = (id: string) => new ServiceError('NoSuchResourceException', `The request failed because the specified request ${id} does not exist.`, 400);

export const illegalArgument = (message: string) => new ServiceError('IllegalArgumentException', message, 400);

export const invalidToken = () => new ServiceError('InvalidPaginationTokenException', 'Invalid NextToken: pass the NextToken of the previous response unchanged.', 400);

export const accessDenied = () => new ServiceError('AccessDeniedException', 'You do not have sufficient access to perform this action.', 400);
