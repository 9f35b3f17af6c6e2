/**
 * Who is making a request: the admin (the account's root keys) or a role session made by STS
 * AssumeRole. Authorization is one seam: authorize(principal, action, resource) → allow | deny;
 * src/iam/policy-authorizer.ts evaluates IAM policies behind it (docs/iam.md).
 */
export interface Principal {
  /** arn:aws:iam::<account>:root for the admin; arn:aws:sts::<account>:assumed-role/<role>/<session> for a session. */
  readonly arn: string;
  readonly accountId: string;
  /** The caller's user id as STS reports it (the account id for root; "<RoleId>:<session>" for a session). */
  readonly userId: string;
  readonly accessKeyId: string;
  readonly isAdmin: boolean;
  /** Set for temporary credentials from AssumeRole (and a training job's execution role). */
  readonly session?: RoleSession;
  /** The client's address, for aws:SourceIp (set for sessions and Studio users; the admin is never evaluated). */
  readonly sourceIp?: string;
  /** Set for a Studio user profile's keys (docs/studio.md): it acts with its execution role's policies. */
  readonly studioUser?: { readonly domainId: string; readonly userProfileName: string };
}

export interface RoleSession {
  readonly roleArn: string;
  readonly roleName: string;
  readonly roleId: string;
  readonly sessionName: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Session policies passed to AssumeRole: the inline Policy document and PolicyArns. */
  readonly policy?: string;
  readonly policyArns?: readonly string[];
}

export interface AuthorizationRequest {
  /** "sagemaker:CreateTrainingJob", "s3:GetObject", … */
  readonly action: string;
  /** ARN of the resource acted on, or "*" when the action is not resource-scoped. */
  readonly resource: string;
  /** Condition keys available for policy evaluation (s3:prefix, sagemaker:ResourceTag/<key>, …); a list for multi-valued keys. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface Authorizer {
  authorize(principal: Principal, request: AuthorizationRequest): Promise<Decision>;
}

/** The admin may do everything; every other principal is denied (kept for tests and tools that need no IAM). */
export const adminOnlyAuthorizer: Authorizer = {
  async authorize(principal, request) {
    if (principal.isAdmin) return { allowed: true };
    return { allowed: false, reason: `User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource}` };
  },
};
