import { describe, expect, it } from 'vitest';
import { conditionContext } from './conditions.js';
import { evaluatePolicies } from './evaluate.js';
import { parsePolicy } from './policy-document.js';
import { substituteVariables } from './policy-variables.js';

const ctx = conditionContext({ 'sagemaker:DomainId': 'd-abc', 'sagemaker:UserProfileName': 'alice', 'aws:TagKeys': ['a', 'b'] });

describe('substituteVariables', () => {
  it('replaces single-valued keys (case-insensitively), defaults and the literal escapes', () => {
    expect(substituteVariables('user-profile/${sagemaker:DomainId}/${SageMaker:UserProfileName}', ctx)).toBe('user-profile/d-abc/alice');
    expect(substituteVariables("team-${aws:PrincipalTag/team, 'none'}", ctx)).toBe('team-none');
    expect(substituteVariables('a${*}b${?}c${$}', ctx)).toBe('a*b?c$');
    expect(substituteVariables('plain', ctx)).toBe('plain');
  });

  it('leaves a variable of a missing or multi-valued key unresolved', () => {
    expect(substituteVariables('x/${aws:PrincipalTag/team}', ctx)).toBeUndefined();
    expect(substituteVariables('x/${aws:TagKeys}', ctx)).toBeUndefined();
    expect(substituteVariables('x/${}', ctx)).toBeUndefined();
  });
});

describe('policy variables in evaluation', () => {
  const doc = (version: string) =>
    parsePolicy(
      JSON.stringify({
        Version: version,
        Statement: [
          { Effect: 'Allow', Action: 'sagemaker:CreatePresignedDomainUrl', Resource: 'arn:aws:sagemaker:*:*:user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}' },
          { Effect: 'Allow', Action: 'sagemaker:UpdateSpace', Resource: '*', Condition: { ArnLike: { 'sagemaker:OwnerUserProfileArn': 'arn:aws:sagemaker:*:*:user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}' } } },
        ],
      }),
    );
  const run = (version: string, action: string, resource: string, extra: Record<string, string> = {}, base: Record<string, string> = { 'sagemaker:DomainId': 'd-abc', 'sagemaker:UserProfileName': 'alice' }) =>
    evaluatePolicies([doc(version)], { action, resource, context: conditionContext({ ...base, ...extra }) });

  it('2012-10-17: Resource and condition values resolve against the request', () => {
    expect(run('2012-10-17', 'sagemaker:CreatePresignedDomainUrl', 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/alice')).toBe('Allow');
    expect(run('2012-10-17', 'sagemaker:CreatePresignedDomainUrl', 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/bob')).toBe('ImplicitDeny');
    expect(run('2012-10-17', 'sagemaker:CreatePresignedDomainUrl', 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/alice', {}, {})).toBe('ImplicitDeny');
    expect(run('2012-10-17', 'sagemaker:UpdateSpace', 'arn:s', { 'sagemaker:OwnerUserProfileArn': 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/alice' })).toBe('Allow');
    expect(run('2012-10-17', 'sagemaker:UpdateSpace', 'arn:s', { 'sagemaker:OwnerUserProfileArn': 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/bob' })).toBe('ImplicitDeny');
  });

  it('2008-10-17: ${…} is literal text', () => {
    expect(run('2008-10-17', 'sagemaker:CreatePresignedDomainUrl', 'arn:aws:sagemaker:us-east-1:0:user-profile/d-abc/alice')).toBe('ImplicitDeny');
  });
});
