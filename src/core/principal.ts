/**
 * Who is making a request. Today every key belongs to the admin; user profiles and roles arrive
 * with Studio. Authorization is one seam: authorize(principal, action, resource) → allow | deny.
 */
export interface Principal {
  /** arn:aws:iam::<account>:root for the admin, a user or assumed-role ARN later. */
  readonly arn: string;
  readonly accountId: string;
  /** The caller's user id as STS reports it. */
  readonly userId: string;
  readonly accessKeyId: string;
  readonly isAdmin: boolean;
}

export interface AuthorizationRequest {
  /** "sagemaker:CreateTrainingJob", "s3:GetObject", … */
  readonly action: string;
  /** ARN of the resource acted on, or "*" when the action is not resource-scoped. */
  readonly resource: string;
  /** Condition keys available for policy evaluation. */
  readonly context?: Readonly<Record<string, string>>;
}

export type Decision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

export interface Authorizer {
  authorize(principal: Principal, request: AuthorizationRequest): Promise<Decision>;
}

/** The admin may do everything; every other principal is denied until policies exist. */
export const adminOnlyAuthorizer: Authorizer = {
  async authorize(principal, request) {
    if (principal.isAdmin) return { allowed: true };
    return { allowed: false, reason: `${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource}` };
  },
};
