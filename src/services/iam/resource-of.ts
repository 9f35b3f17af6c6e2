import type { Platform } from '../service.js';

/**
 * The resource an IAM call acts on, for authorization: the role's or the policy's ARN. A role's
 * ARN is written without its path here (Clary does not look the role up before authorizing), so
 * policies that scope IAM actions by role path do not match; see docs/iam.md.
 */
export function iamResourceOf(operation: string, input: any, platform: Platform): string {
  const account = platform.config.accountId;
  if (typeof input?.PolicyArn === 'string' && !('RoleName' in (input ?? {}))) return input.PolicyArn;
  if (typeof input?.RoleName === 'string') return `arn:aws:iam::${account}:role${typeof input.Path === 'string' ? input.Path : '/'}${input.RoleName}`;
  if (operation === 'CreatePolicy' && typeof input?.PolicyName === 'string') return `arn:aws:iam::${account}:policy${typeof input.Path === 'string' ? input.Path : '/'}${input.PolicyName}`;
  return '*';
}
