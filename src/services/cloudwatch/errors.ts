import { ServiceError } from '../../core/errors.js';

/**
 * CloudWatch's errors, by their query codes (the JSON and CBOR protocols add the shape name and
 * the x-amzn-query-error header: src/server/protocols/query-compatible.ts).
 */
export const invalidParameterValue = (message: string) => new ServiceError('InvalidParameterValue', message, 400);
export const missingParameter = (message: string) => new ServiceError('MissingParameter', message, 400);
export const invalidParameterCombination = (message: string) => new ServiceError('InvalidParameterCombination', message, 400);
export const invalidNextToken = (message = 'The service cannot process the NextToken: it is invalid or expired, or belongs to another request.') =>
  new ServiceError('InvalidNextToken', message, 400);

/** "The value X for parameter P is invalid." — CloudWatch's wording. */
export const invalidValue = (value: unknown, parameter: string) => invalidParameterValue(`The value ${String(value)} for parameter ${parameter} is invalid.`);
