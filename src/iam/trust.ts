import type { Principal } from '../core/principal.js';
import { conditionContext } from './conditions.js';
import { evaluatePolicies } from './evaluate.js';
import type { RoleDoc } from './iam-directory.js';
import { parsePolicy, type PrincipalSpec, type Statement } from './policy-document.js';

/**
 * Whether a role's trust policy (AssumeRolePolicyDocument) lets a caller assume it: a statement
 * allowing sts:AssumeRole whose Principal names the caller — "*", the caller's account (its id or
 * root ARN), the caller's role ARN or assumed-role ARN, or a service principal
 * ("sagemaker.amazonaws.com" for training jobs) — with its conditions holding, and none denying.
 */
export type TrustCaller = { readonly principal: Principal } | { readonly service: string };

export function trustAllows(role: RoleDoc, caller: TrustCaller, context: Readonly<Record<string, string | undefined>> = {}): boolean {
  const doc = parsePolicy(role.AssumeRolePolicyDocument, 'trust');
  const matches = (spec: PrincipalSpec) => specNames(spec, caller);
  const principalMatches = (s: Statement) => (s.principal ? matches(s.principal) : s.notPrincipal ? !matches(s.notPrincipal) : false);
  const ctx = conditionContext({
    ...('principal' in caller ? { 'aws:PrincipalArn': caller.principal.session?.roleArn ?? caller.principal.arn, 'aws:PrincipalAccount': caller.principal.accountId, 'aws:SourceIp': caller.principal.sourceIp } : {}),
    ...context,
  });
  return evaluatePolicies([doc], { action: 'sts:AssumeRole', resource: role.Arn, context: ctx }, principalMatches) === 'Allow';
}

function specNames(spec: PrincipalSpec, caller: TrustCaller): boolean {
  if (spec === '*') return true;
  if ('service' in caller) return (spec.Service ?? []).includes(caller.service);
  const p = caller.principal;
  for (const entry of spec.AWS ?? []) {
    if (entry === '*' || entry === p.arn) return true;
    if (entry === p.accountId || entry === `arn:aws:iam::${p.accountId}:root`) return true;
    if (p.session && entry === p.session.roleArn) return true;
  }
  return false;
}
