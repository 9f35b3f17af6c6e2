import { conditionsHold, type ConditionContext } from './conditions.js';
import type { PolicyDocument, Statement } from './policy-document.js';
import { substituteVariables } from './policy-variables.js';
import { arnMatch, wildcardMatch } from './wildcard.js';

/**
 * IAM's evaluation of a set of identity-based policies for one request: an explicit Deny in any
 * statement wins; otherwise an Allow in any statement allows; otherwise the request is implicitly
 * denied.
 */
export type Outcome = 'Allow' | 'ExplicitDeny' | 'ImplicitDeny';

export interface EvaluationRequest {
  readonly action: string;
  readonly resource: string;
  readonly context: ConditionContext;
}

export function evaluatePolicies(policies: readonly PolicyDocument[], request: EvaluationRequest, principalMatches?: (s: Statement) => boolean): Outcome {
  let allowed = false;
  for (const policy of policies) {
    for (const s of policy.statements) {
      if (s.effect === 'Allow' && allowed) continue;
      if (!statementApplies(s, request, policy.version === '2012-10-17')) continue;
      if (principalMatches && !principalMatches(s)) continue;
      if (s.effect === 'Deny') return 'ExplicitDeny';
      allowed = true;
    }
  }
  return allowed ? 'Allow' : 'ImplicitDeny';
}

/** `variables`: the statement's policy is 2012-10-17, where `${…}` policy variables are resolved (policy-variables.ts). */
export function statementApplies(s: Statement, r: EvaluationRequest, variables = false): boolean {
  if (s.action && !s.action.some((a) => actionMatch(a, r.action))) return false;
  if (s.notAction && s.notAction.some((a) => actionMatch(a, r.action))) return false;
  const matches = (p: string) => {
    const pattern = variables ? substituteVariables(p, r.context) : p;
    return pattern !== undefined && resourceMatch(pattern, r.resource);
  };
  if (s.resource && !s.resource.some(matches)) return false;
  if (s.notResource && s.notResource.some(matches)) return false;
  return conditionsHold(s.conditions, r.context, variables);
}

const actionMatch = (pattern: string, action: string): boolean => wildcardMatch(pattern, action, true);

/** "*" in a request (an action with no resource) is matched only by a policy resource of "*". */
function resourceMatch(pattern: string, resource: string): boolean {
  if (pattern === '*') return true;
  if (resource === '*') return false;
  return arnMatch(pattern, resource);
}
