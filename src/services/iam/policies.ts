import type { OperationHandler, RequestContext } from '../service.js';
import { ServiceError } from '../../core/errors.js';
import { allCustomerPolicies, allRoles, createCustomerPolicy, getCustomerPolicy, iamUniqueId, policyArn, POLICY_KIND, type PolicyDoc } from '../../iam/iam-directory.js';
import { checkedPolicy, deleteConflict, limitExceeded, noSuchPolicy, noSuchPolicyVersion } from '../../iam/iam-errors.js';
import { iamChanged } from '../../iam/iam-changes.js';
import { MANAGED_POLICIES, managedPolicy } from '../../iam/managed-policies.js';
import { parsePolicy } from '../../iam/policy-document.js';
import { byKey, page } from './paging.js';
import { checkNewTags } from './tags.js';
import { customerPolicyView, encodePolicy, managedPolicyView } from './views.js';

/** A managed policy document: at most 6,144 characters without white space (IAM's PolicySize). */
const POLICY_SIZE = 6_144;

async function attachmentCounts(ctx: RequestContext): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const r of await allRoles(ctx.platform.store)) for (const a of r.attached) counts.set(a, (counts.get(a) ?? 0) + 1);
  return counts;
}

export const CreatePolicy: OperationHandler = async (input, ctx) => {
  if ((input.PolicyDocument as string).replace(/\s/g, '').length > POLICY_SIZE) throw limitExceeded(`Cannot exceed quota for PolicySize: ${POLICY_SIZE}`);
  checkedPolicy(() => parsePolicy(input.PolicyDocument));
  const path: string = input.Path ?? '/';
  const now = Math.floor(ctx.platform.now() / 1000) * 1000;
  const doc: PolicyDoc = {
    PolicyName: input.PolicyName,
    PolicyId: iamUniqueId('ANPA'),
    Arn: policyArn(ctx.platform.config.accountId, path, input.PolicyName),
    Path: path,
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    CreateDate: now,
    UpdateDate: now,
    Tags: checkNewTags(input.Tags),
    Document: input.PolicyDocument,
    DefaultVersionId: 'v1',
  };
  await createCustomerPolicy(ctx.platform.store, doc);
  return { Policy: customerPolicyView(doc, 0, true) };
};

export const GetPolicy: OperationHandler = async (input, ctx) => {
  const counts = await attachmentCounts(ctx);
  const aws = managedPolicy(input.PolicyArn);
  if (aws) return { Policy: managedPolicyView(aws, counts.get(aws.arn) ?? 0, true) };
  const own = await getCustomerPolicy(ctx.platform.store, ctx.platform.config.accountId, input.PolicyArn);
  if (!own) throw noSuchPolicy(input.PolicyArn);
  return { Policy: customerPolicyView(own, counts.get(own.Arn) ?? 0, true) };
};

export const GetPolicyVersion: OperationHandler = async (input, ctx) => {
  const aws = managedPolicy(input.PolicyArn);
  const own = aws ? undefined : await getCustomerPolicy(ctx.platform.store, ctx.platform.config.accountId, input.PolicyArn);
  if (!aws && !own) throw noSuchPolicy(input.PolicyArn);
  const version = aws ? aws.versionId : own!.DefaultVersionId;
  if (input.VersionId !== version) throw noSuchPolicyVersion(input.PolicyArn, input.VersionId);
  return {
    PolicyVersion: {
      Document: encodePolicy(aws ? aws.document : own!.Document),
      VersionId: version,
      IsDefaultVersion: true,
      CreateDate: aws ? new Date(aws.updateDate) : new Date(own!.CreateDate),
    },
  };
};

export const ListPolicies: OperationHandler = async (input, ctx) => {
  const scope: string = input.Scope ?? 'All';
  const prefix: string = input.PathPrefix ?? '/';
  const counts = await attachmentCounts(ctx);
  type Row = { key: string; arn: string; path: string; view: () => Record<string, unknown> };
  const rows: Row[] = [];
  if (scope !== 'Local') {
    for (const p of MANAGED_POLICIES) rows.push({ key: p.name.toLowerCase(), arn: p.arn, path: p.path, view: () => managedPolicyView(p, counts.get(p.arn) ?? 0, false) });
  }
  if (scope !== 'AWS') {
    for (const p of await allCustomerPolicies(ctx.platform.store)) {
      rows.push({ key: `${p.PolicyName.toLowerCase()}\u0000${p.Arn}`, arn: p.Arn, path: p.Path, view: () => customerPolicyView(p, counts.get(p.Arn) ?? 0, false) });
    }
  }
  const selected = rows.filter((r) => r.path.startsWith(prefix) && (!input.OnlyAttached || (counts.get(r.arn) ?? 0) > 0));
  selected.sort(byKey((r) => r.key));
  const p = page(selected, (r) => r.key, input);
  return { Policies: p.items.map((r) => r.view()), IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
};

export const DeletePolicy: OperationHandler = async (input, ctx) => {
  if (managedPolicy(input.PolicyArn) || input.PolicyArn.startsWith('arn:aws:iam::aws:')) {
    throw new ServiceError('AccessDenied', `User: ${ctx.principal.arn} is not authorized to perform: iam:DeletePolicy on resource: policy ${input.PolicyArn} because AWS managed policies cannot be deleted`, 403);
  }
  const own = await getCustomerPolicy(ctx.platform.store, ctx.platform.config.accountId, input.PolicyArn);
  if (!own) throw noSuchPolicy(input.PolicyArn);
  if (((await attachmentCounts(ctx)).get(own.Arn) ?? 0) > 0) throw deleteConflict('Cannot delete a policy attached to entities.');
  await ctx.platform.store.deleteResource(POLICY_KIND, own.PolicyName.toLowerCase());
  iamChanged(ctx.platform);
  return {};
};
