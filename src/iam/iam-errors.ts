import { ServiceError } from '../core/errors.js';
import { PolicyError } from './policy-document.js';

/** IAM's error codes and texts (query protocol: Sender errors with these codes). */
export const noSuchRole = (name: string) => new ServiceError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
export const noSuchRolePolicy = (role: string, name: string) =>
  new ServiceError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404, { RoleName: role });
export const noSuchPolicy = (arn: string) => new ServiceError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`, 404);
export const noSuchPolicyVersion = (arn: string, v: string) => new ServiceError('NoSuchEntity', `Policy ${arn} version ${v} does not exist or is not attachable.`, 404);
export const roleExists = (name: string) => new ServiceError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
export const policyExists = (name: string) => new ServiceError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`, 409);
export const deleteConflict = (message: string) => new ServiceError('DeleteConflict', message, 409);
export const limitExceeded = (message: string) => new ServiceError('LimitExceeded', message, 409);
export const invalidInput = (message: string) => new ServiceError('InvalidInput', message, 400);
export const malformedPolicy = (message: string) => new ServiceError('MalformedPolicyDocument', message, 400);

/** Runs a parse and turns a PolicyError into MalformedPolicyDocument. */
export function checkedPolicy<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof PolicyError) throw malformedPolicy(e.message);
    throw e;
  }
}
