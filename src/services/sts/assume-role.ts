import { ServiceError } from '../../core/errors.js';
import { getRoleByArn, policyDocumentByArn } from '../../iam/iam-directory.js';
import { issueRoleSession } from '../../iam/role-sessions.js';
import { parsePolicy, PolicyError } from '../../iam/policy-document.js';
import { trustAllows } from '../../iam/trust.js';
import type { OperationHandler } from '../service.js';

/** Role chaining (a session assuming a role) is limited to one hour, as in AWS. */
const CHAINED_MAX_SECONDS = 3600;
/** AWS's limit on the packed session policies (inline Policy plus PolicyArns). */
const PACKED_POLICY_LIMIT = 2048;

/**
 * STS AssumeRole: the role must exist and its trust policy must name the caller (the admin may
 * always assume); the caller's own policies must allow sts:AssumeRole on the role (the pipeline's
 * authorize stage). Returns temporary credentials for arn:aws:sts::<acct>:assumed-role/<role>/<session>.
 */
export const AssumeRole: OperationHandler = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const caller = ctx.principal;
  const role = await getRoleByArn(store, input.RoleArn);
  const denied = () => new ServiceError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
  if (!role) throw denied();
  if (!caller.isAdmin && !trustAllows(role, { principal: caller }, { 'sts:ExternalId': input.ExternalId, 'sts:RoleSessionName': input.RoleSessionName })) throw denied();

  const duration: number = input.DurationSeconds ?? 3600;
  if (caller.session && duration > CHAINED_MAX_SECONDS) {
    throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
  }
  if (duration > role.MaxSessionDuration) throw new ServiceError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);

  const policyArns: string[] = (input.PolicyArns ?? []).map((p: { arn?: string }) => p.arn).filter((a: unknown): a is string => typeof a === 'string');
  let packed = 0;
  if (input.Policy !== undefined) {
    try {
      parsePolicy(input.Policy);
    } catch (e) {
      if (e instanceof PolicyError) throw new ServiceError('MalformedPolicyDocument', e.message, 400);
      throw e;
    }
    packed += (input.Policy as string).replace(/\s/g, '').length;
  }
  for (const arn of policyArns) {
    if (!(await policyDocumentByArn(store, config.accountId, arn))) throw new ServiceError('InvalidParameterValue', `The policy ${arn} does not exist or is not attachable.`, 400);
    packed += arn.length;
  }
  const packedPercent = Math.ceil((packed / PACKED_POLICY_LIMIT) * 100);
  if (packedPercent > 100) throw new ServiceError('PackedPolicyTooLarge', `Packed policy consumes ${packedPercent}% of allotted space, please use smaller policy.`, 400);

  const s = await issueRoleSession(store, {
    accountId: config.accountId,
    role,
    sessionName: input.RoleSessionName,
    durationSeconds: duration,
    now: ctx.platform.now(),
    ...(input.Policy !== undefined ? { policy: input.Policy } : {}),
    policyArns,
  });
  return {
    Credentials: { AccessKeyId: s.accessKeyId, SecretAccessKey: s.secretAccessKey, SessionToken: s.sessionToken, Expiration: s.expiration },
    AssumedRoleUser: { AssumedRoleId: s.assumedRoleId, Arn: s.assumedRoleArn },
    ...(input.Policy !== undefined || policyArns.length > 0 ? { PackedPolicySize: packedPercent } : {}),
    ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
  };
};
