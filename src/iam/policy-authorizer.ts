import type { AuthorizationRequest, Authorizer, Decision, Principal, RoleSession } from '../core/principal.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { conditionContext } from './conditions.js';
import { evaluatePolicies, type Outcome } from './evaluate.js';
import type { IamChangeListener } from './iam-changes.js';
import { getRole, policyDocumentByArn, type RoleDoc } from './iam-directory.js';
import { parsePolicy, type PolicyDocument } from './policy-document.js';
import { executionRoleOf } from '../studio/user-identity.js';

const ALLOW: Decision = Object.freeze({ allowed: true });
/** Actions AWS lets anyone call ("No permissions are required to perform this operation"). */
const UNGATED = new Set(['sts:getcalleridentity']);
const TTL_MS = 5_000;

interface RolePolicies {
  readonly role: RoleDoc | undefined;
  readonly policies: readonly PolicyDocument[];
  readonly at: number;
}

/**
 * IAM's evaluation on every call (docs/iam.md): the admin (the account's root keys) may do
 * everything and costs no lookup; a role session may do what its role's inline and attached
 * policies allow — intersected with the session policies AssumeRole was given — unless any of
 * them denies explicitly; everything else is denied. A role's policies are cached for a few
 * seconds and dropped at once on any IAM write in this process.
 */
export class PolicyAuthorizer implements Authorizer, IamChangeListener {
  private readonly roles = new Map<string, Promise<RolePolicies>>();
  private readonly sessionPolicies = new Map<string, Promise<PolicyDocument[]>>();

  constructor(
    private readonly store: MetadataStore,
    private readonly scope: { readonly accountId: string; readonly region: string },
    private readonly now: () => number = Date.now,
  ) {}

  iamChanged(): void {
    this.roles.clear();
    this.sessionPolicies.clear();
  }

  async authorize(principal: Principal, request: AuthorizationRequest): Promise<Decision> {
    if (principal.isAdmin) return ALLOW;
    if (UNGATED.has(request.action.toLowerCase())) return ALLOW;
    if (principal.studioUser) return this.authorizeStudioUser(principal, request);
    const session = principal.session;
    if (!session) return deny(principal, request, 'no identity-based policy allows');
    const { role, policies } = await this.rolePolicies(session.roleName);
    // A session outlives neither its role nor a role re-created under the same name.
    if (!role || role.RoleId !== session.roleId) return deny(principal, request, 'no identity-based policy allows');
    const evaluation = { action: request.action, resource: request.resource, context: this.context(principal, session.roleArn, role, request) };
    const identity = evaluatePolicies(policies, evaluation);
    if (identity !== 'Allow') return deny(principal, request, reason(identity, 'identity-based'));
    if (session.policy !== undefined || session.policyArns) {
      const scoped = evaluatePolicies(await this.policiesOfSession(principal.accessKeyId, session), evaluation);
      if (scoped !== 'Allow') return deny(principal, request, reason(scoped, 'session'));
    }
    return ALLOW;
  }

  /**
   * A Studio user profile (docs/studio.md) acts with its execution role — its own
   * UserSettings.ExecutionRole, else its domain's default — looked up on every call; with no
   * user profile or no existing role it is denied everything.
   */
  private async authorizeStudioUser(principal: Principal, request: AuthorizationRequest): Promise<Decision> {
    const roleArn = await executionRoleOf(this.store, principal.studioUser!);
    const m = roleArn ? /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn) : null;
    if (!m || m[1] !== this.scope.accountId) return deny(principal, request, 'no identity-based policy allows');
    const { role, policies } = await this.rolePolicies(m[2]!);
    if (!role) return deny(principal, request, 'no identity-based policy allows');
    // Studio's policy variables: the caller's domain and user profile (AWS sets them for requests from Studio).
    const studio = { 'sagemaker:DomainId': principal.studioUser!.domainId, 'sagemaker:UserProfileName': principal.studioUser!.userProfileName };
    const outcome = evaluatePolicies(policies, { action: request.action, resource: request.resource, context: this.context(principal, role.Arn, role, request, studio) });
    return outcome === 'Allow' ? ALLOW : deny(principal, request, reason(outcome, 'identity-based'));
  }

  private context(principal: Principal, roleArn: string, role: RoleDoc, request: AuthorizationRequest, studio?: Readonly<Record<string, string>>) {
    const now = this.now();
    const tags: Record<string, string> = {};
    for (const t of role.Tags) tags[`aws:PrincipalTag/${t.Key}`] = t.Value;
    return conditionContext({
      ...tags,
      'aws:PrincipalArn': roleArn,
      'aws:PrincipalAccount': principal.accountId,
      'aws:PrincipalType': 'AssumedRole',
      'aws:userid': principal.userId,
      'aws:RequestedRegion': this.scope.region,
      'aws:SourceIp': principal.sourceIp,
      'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'aws:EpochTime': String(Math.floor(now / 1000)),
      'aws:SecureTransport': 'false',
      'aws:TokenIssueTime': undefined,
      ...studio,
      ...(request.context ?? {}),
    });
  }

  private rolePolicies(roleName: string): Promise<RolePolicies> {
    const key = roleName.toLowerCase();
    const hit = this.roles.get(key);
    const fresh = hit ?? this.load(key);
    if (!hit) this.roles.set(key, fresh);
    return fresh.then((r) => {
      if (this.now() - r.at < TTL_MS) return r;
      const again = this.load(key);
      this.roles.set(key, again);
      return again;
    });
  }

  private async load(roleName: string): Promise<RolePolicies> {
    const at = this.now();
    try {
      const rec = await getRole(this.store, roleName);
      if (!rec) return { role: undefined, policies: [], at };
      const policies: PolicyDocument[] = Object.values(rec.doc.inline).map((d) => parsePolicy(d));
      for (const arn of rec.doc.attached) {
        const p = await policyDocumentByArn(this.store, this.scope.accountId, arn);
        if (p) policies.push(p.parsed);
      }
      return { role: rec.doc, policies, at };
    } catch (e) {
      this.roles.delete(roleName);
      throw e;
    }
  }

  private policiesOfSession(accessKeyId: string, session: RoleSession): Promise<PolicyDocument[]> {
    let p = this.sessionPolicies.get(accessKeyId);
    if (!p) {
      p = (async () => {
        const out: PolicyDocument[] = [];
        if (session.policy !== undefined) out.push(parsePolicy(session.policy));
        for (const arn of session.policyArns ?? []) {
          const d = await policyDocumentByArn(this.store, this.scope.accountId, arn);
          if (d) out.push(d.parsed);
        }
        return out;
      })();
      if (this.sessionPolicies.size > 10_000) this.sessionPolicies.clear();
      this.sessionPolicies.set(accessKeyId, p);
      p.catch(() => this.sessionPolicies.delete(accessKeyId));
    }
    return p;
  }
}

/**
 * Session policies pass a request only where they allow it too: the result is the intersection.
 * Multiple session policies are one set (any may allow; any Deny denies).
 */
function reason(outcome: Exclude<Outcome, 'Allow'>, kind: 'identity-based' | 'session'): string {
  return outcome === 'ExplicitDeny' ? `with an explicit deny in ${kind === 'session' ? 'a session' : 'an identity-based'} policy` : `no ${kind} policy allows`;
}

function deny(principal: Principal, request: AuthorizationRequest, why: string): Decision {
  const tail = why.startsWith('with ') ? why : `because ${why} the ${request.action} action`;
  return { allowed: false, reason: `User: ${principal.arn} is not authorized to perform: ${request.action} on resource: ${request.resource} ${tail}` };
}
