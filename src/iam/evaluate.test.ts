import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conditionContext } from './conditions.js';
import { evaluatePolicies } from './evaluate.js';
import { MANAGED_POLICIES, managedPolicy } from './managed-policies.js';
import { parsePolicy, PolicyError } from './policy-document.js';
import { arnMatch, wildcardMatch } from './wildcard.js';

const ctx = (e: Record<string, string | string[]> = {}) => conditionContext(e);
const doc = (...Statement: object[]) => parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement }));
const run = (p: ReturnType<typeof doc>[], action: string, resource: string, c = ctx()) => evaluatePolicies(p, { action, resource, context: c });

describe('policy documents', () => {
  it('takes Statement as an object or an array and strings or lists', () => {
    const one = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}');
    expect(one.statements).toHaveLength(1);
    expect(one.statements[0]!.action).toEqual(['s3:GetObject']);
  });

  it.each([
    ['not json', 'Syntax errors in policy.'],
    ['{"Version":"2012-10-17"}', 'Syntax errors in policy.'],
    ['{"Version":"2013-01-01","Statement":[]}', 'The policy must contain a valid version string'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allowed","Action":"s3:*","Resource":"*"}}', 'Invalid effect: Allowed'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Resource":"*"}}', 'Policy statement must contain actions.'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*"}}', 'Policy statement must contain resources.'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"GetObject","Resource":"*"}}', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}', 'Policy document should not specify a principal.'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringSortOf":{"aws:username":"x"}}}}', 'Invalid Condition type : StringSortOf'],
    ['{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Bogus":1}}', 'Syntax errors in policy.'],
  ])('refuses %s', (text, message) => {
    expect(() => parsePolicy(text)).toThrow(PolicyError);
    expect(() => parsePolicy(text)).toThrow(message);
  });

  it('trust policies need a Principal and may not name a Resource', () => {
    expect(() => parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}', 'trust')).toThrow('Missing required field Principal');
    expect(() => parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}', 'trust')).toThrow('Has prohibited field Resource');
    expect(() => parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"bob"},"Action":"sts:AssumeRole"}}', 'trust')).toThrow('Invalid principal in policy');
    const ok = parsePolicy('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}}', 'trust');
    expect(ok.statements[0]!.principal).toEqual({ Service: ['sagemaker.amazonaws.com'] });
  });

  it('every managed policy parses and has its AWS ARN', () => {
    expect(MANAGED_POLICIES.map((p) => p.name).sort()).toEqual(['AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonSageMakerFullAccess', 'AmazonSageMakerReadOnly', 'CloudWatchFullAccess', 'CloudWatchLogsFullAccess']);
    expect(managedPolicy('arn:aws:iam::aws:policy/AmazonS3FullAccess')?.name).toBe('AmazonS3FullAccess');
  });
});

describe('evaluation', () => {
  it('default deny, allow, explicit deny wins', () => {
    const allow = doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    const deny = doc({ Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::b/*' });
    expect(run([], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('ImplicitDeny');
    expect(run([allow], 's3:GetObject', 'arn:aws:s3:::b/k')).toBe('Allow');
    expect(run([allow, deny], 's3:DeleteObject', 'arn:aws:s3:::b/k')).toBe('ExplicitDeny');
    expect(run([deny, allow], 's3:DeleteObject', 'arn:aws:s3:::other/k')).toBe('Allow');
  });

  it('actions match case-insensitively with * and ?; resources case-sensitively', () => {
    const p = doc({ Effect: 'Allow', Action: 'SageMaker:Describe*', Resource: 'arn:aws:sagemaker:*:*:training-job/job-?' });
    expect(run([p], 'sagemaker:DescribeTrainingJob', 'arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1')).toBe('Allow');
    expect(run([p], 'sagemaker:describetrainingjob', 'arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1')).toBe('Allow');
    expect(run([p], 'sagemaker:DescribeTrainingJob', 'arn:aws:sagemaker:us-east-1:000000000000:training-job/job-12')).toBe('ImplicitDeny');
    expect(run([p], 'sagemaker:DescribeTrainingJob', 'arn:aws:sagemaker:us-east-1:000000000000:training-job/JOB-1')).toBe('ImplicitDeny');
    expect(run([p], 'sagemaker:CreateTrainingJob', 'arn:aws:sagemaker:us-east-1:000000000000:training-job/job-1')).toBe('ImplicitDeny');
  });

  it('NotAction and NotResource', () => {
    const p = doc({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::secret*' });
    expect(run([p], 's3:GetObject', 'arn:aws:s3:::public/k')).toBe('Allow');
    expect(run([p], 's3:GetObject', 'arn:aws:s3:::secret-bucket')).toBe('ImplicitDeny');
    expect(run([p], 'iam:CreateRole', 'arn:aws:s3:::public/k')).toBe('ImplicitDeny');
  });

  it('a resource-less action ("*") is matched only by Resource "*"', () => {
    const scoped = doc({ Effect: 'Allow', Action: 'sagemaker:*', Resource: 'arn:aws:sagemaker:*:*:*' });
    expect(run([scoped], 'sagemaker:ListTrainingJobs', '*')).toBe('ImplicitDeny');
    expect(run([doc({ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' })], 'sagemaker:ListTrainingJobs', '*')).toBe('Allow');
  });

  const cond = (Condition: object) => doc({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
  const holds = (Condition: object, c: Record<string, string | string[]>) => run([cond(Condition)], 's3:ListBucket', 'arn:aws:s3:::b', ctx(c)) === 'Allow';

  it('string operators, IgnoreCase, IfExists and negation on a missing key', () => {
    expect(holds({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringEquals: { 'AWS:UserName': 'alice' } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringEquals: { 'aws:username': 'alice' } }, { 'aws:username': 'Alice' })).toBe(false);
    expect(holds({ StringEqualsIgnoreCase: { 'aws:username': 'alice' } }, { 'aws:username': 'Alice' })).toBe(true);
    expect(holds({ StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, { 'aws:username': 'alice' })).toBe(true);
    expect(holds({ StringNotEquals: { 'aws:username': ['bob', 'carol'] } }, { 'aws:username': 'bob' })).toBe(false);
    expect(holds({ StringLike: { 's3:prefix': ['home/alice/*', 'public/?'] } }, { 's3:prefix': 'home/alice/x/y' })).toBe(true);
    expect(holds({ StringLike: { 's3:prefix': 'public/?' } }, { 's3:prefix': 'public/ab' })).toBe(false);
    expect(holds({ StringNotLike: { 's3:prefix': 'private/*' } }, { 's3:prefix': 'private/x' })).toBe(false);
    expect(holds({ StringEquals: { 's3:prefix': 'x' } }, {})).toBe(false);
    expect(holds({ StringEqualsIfExists: { 's3:prefix': 'x' } }, {})).toBe(true);
    expect(holds({ StringEqualsIfExists: { 's3:prefix': 'x' } }, { 's3:prefix': 'y' })).toBe(false);
    expect(holds({ StringNotEquals: { 's3:prefix': 'x' } }, {})).toBe(true);
  });

  it('Null, Bool, numeric, date, ARN and IP operators', () => {
    expect(holds({ Null: { 'sagemaker:ResourceTag/team': 'true' } }, {})).toBe(true);
    expect(holds({ Null: { 'sagemaker:ResourceTag/team': 'false' } }, {})).toBe(false);
    expect(holds({ Null: { 'sagemaker:ResourceTag/team': 'false' } }, { 'sagemaker:ResourceTag/team': 'ml' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:SecureTransport': 'false' })).toBe(true);
    expect(holds({ Bool: { 'aws:SecureTransport': true } }, { 'aws:SecureTransport': 'false' })).toBe(false);
    expect(holds({ NumericLessThanEquals: { 's3:max-keys': 10 } }, { 's3:max-keys': '10' })).toBe(true);
    expect(holds({ NumericLessThan: { 's3:max-keys': 10 } }, { 's3:max-keys': '10' })).toBe(false);
    expect(holds({ NumericEquals: { 's3:max-keys': 10 } }, { 's3:max-keys': 'ten' })).toBe(false);
    expect(holds({ NumericGreaterThan: { 's3:max-keys': '1.5' } }, { 's3:max-keys': '2' })).toBe(true);
    expect(holds({ DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-11-27T21:00:00Z' })).toBe(true);
    expect(holds({ DateGreaterThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, { 'aws:CurrentTime': '2026-11-27T21:00:00Z' })).toBe(false);
    expect(holds({ DateGreaterThanEquals: { 'aws:CurrentTime': '1700000000' } }, { 'aws:CurrentTime': '2026-11-27T21:00:00Z' })).toBe(true);
    expect(holds({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ml-*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/ml-team' })).toBe(true);
    expect(holds({ ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/ml' } }, { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/ml-team' })).toBe(false);
    expect(holds({ ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/ml-*' } }, { 'aws:PrincipalArn': 'arn:aws:iam::000000000000:role/ml-team' })).toBe(false);
    expect(holds({ IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '127.0.0.0/8'] } }, { 'aws:SourceIp': '127.0.0.1' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '::ffff:10.1.2.3' })).toBe(true);
    expect(holds({ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, { 'aws:SourceIp': '192.168.1.1' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db8:0:1::5' })).toBe(true);
    expect(holds({ IpAddress: { 'aws:SourceIp': '2001:db8::/32' } }, { 'aws:SourceIp': '2001:db9::5' })).toBe(false);
  });

  it('ForAllValues and ForAnyValue over multi-valued keys; several keys AND', () => {
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'b'] })).toBe(true);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a', 'b'] } }, { 'aws:TagKeys': ['a', 'c'] })).toBe(false);
    expect(holds({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['a'] } }, {})).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['c', 'a'] })).toBe(true);
    expect(holds({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['a'] } }, {})).toBe(false);
    expect(holds({ 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a'] } }, { 'aws:TagKeys': ['a', 'b'] })).toBe(true);
    expect(holds({ StringEquals: { 'aws:username': 'a', 'aws:PrincipalAccount': '1' } }, { 'aws:username': 'a', 'aws:PrincipalAccount': '2' })).toBe(false);
    expect(holds({ StringEquals: { 'aws:username': 'a' }, Bool: { 'aws:SecureTransport': 'false' } }, { 'aws:username': 'a', 'aws:SecureTransport': 'false' })).toBe(true);
  });
});

describe('wildcard matcher (properties)', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '.', '-', '*', '?', 'C') , maxLength: 12 });
  const literal = fc.string({ unit: fc.constantFrom('a', 'b', ':', '/', '.', '-', 'C', '(', '['), maxLength: 12 });

  it('a literal pattern matches exactly itself', () => {
    fc.assert(fc.property(literal, literal, (p, v) => wildcardMatch(p, v) === (p === v)));
  });

  it('"*" matches everything and a pattern with * around a value matches any string containing it', () => {
    fc.assert(fc.property(literal, literal, literal, (pre, mid, post) => wildcardMatch('*', pre) && wildcardMatch(`*${mid}*`, pre + mid + post)));
  });

  it('each ? matches exactly one character', () => {
    fc.assert(fc.property(literal, (v) => wildcardMatch('?'.repeat([...v].length), v) && !wildcardMatch('?'.repeat([...v].length + 1), v)));
  });

  it('agrees with a reference backtracking matcher', () => {
    const ref = (p: string, v: string): boolean => {
      if (p === '') return v === '';
      if (p[0] === '*') return ref(p.slice(1), v) || (v !== '' && ref(p, v.slice(1)));
      if (v === '') return false;
      return (p[0] === '?' || p[0] === v[0]) && ref(p.slice(1), v.slice(1));
    };
    fc.assert(fc.property(text, literal, (p, v) => wildcardMatch(p, v) === ref(p, v)));
  });

  it('action matching ignores case', () => {
    fc.assert(fc.property(literal, (v) => wildcardMatch(v.toUpperCase(), v.toLowerCase(), true)));
  });

  it('an ARN pattern part does not spill into the next part', () => {
    expect(arnMatch('arn:aws:s3:::b*', 'arn:aws:s3:::bucket/key')).toBe(true);
    expect(arnMatch('arn:aws:iam::*:role/x', 'arn:aws:iam::000000000000:role/x')).toBe(true);
    expect(arnMatch('arn:aws:*:us-east-1::x', 'arn:aws:s3:us:east-1::x')).toBe(false);
  });

  it('explicit deny always wins over any allow (property)', () => {
    const action = fc.constantFrom('s3:GetObject', 's3:PutObject', 'sagemaker:CreateTrainingJob', 'iam:GetRole');
    const pattern = fc.constantFrom('*', 's3:*', 's3:Get*', 'sagemaker:*', '*:*Object', 'iam:GetRole');
    fc.assert(
      fc.property(action, fc.array(pattern, { minLength: 1, maxLength: 3 }), fc.array(pattern, { minLength: 1, maxLength: 3 }), (a, allows, denies) => {
        const p = doc({ Effect: 'Allow', Action: allows, Resource: '*' }, { Effect: 'Deny', Action: denies, Resource: '*' });
        const denied = denies.some((d) => wildcardMatch(d, a, true));
        const allowed = allows.some((d) => wildcardMatch(d, a, true));
        return run([p], a, '*') === (denied ? 'ExplicitDeny' : allowed ? 'Allow' : 'ImplicitDeny');
      }),
    );
  });
});
