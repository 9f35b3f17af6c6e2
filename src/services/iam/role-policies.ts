import type { OperationHandler } from '../service.js';
import { ServiceError } from '../../core/errors.js';
import { getRole, policyDocumentByArn, updateRole } from '../../iam/iam-directory.js';
import { checkedPolicy, limitExceeded, noSuchPolicy, noSuchRole, noSuchRolePolicy } from '../../iam/iam-errors.js';
import { iamChanged } from '../../iam/iam-changes.js';
import { parsePolicy } from '../../iam/policy-document.js';
import { byKey, page } from './paging.js';
import { encodePolicy } from './views.js';

/** IAM's quotas: inline policies of a role together at most 10,240 characters; 10 attached policies. */
const INLINE_SIZE_PER_ROLE = 10_240;
const ATTACHED_PER_ROLE = 10;

export const PutRolePolicy: OperationHandler = async (input, ctx) => {
  checkedPolicy(() => parsePolicy(input.PolicyDocument));
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => {
    const inline: Record<string, string> = { ...d.inline, [input.PolicyName as string]: input.PolicyDocument as string };
    const size = Object.values(inline).reduce((n, doc) => n + doc.replace(/\s/g, '').length, 0);
    if (size > INLINE_SIZE_PER_ROLE) throw limitExceeded(`Maximum policy size of ${INLINE_SIZE_PER_ROLE} bytes exceeded for role ${d.RoleName}`);
    return { ...d, inline };
  });
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const GetRolePolicy: OperationHandler = async (input, ctx) => {
  const rec = await getRole(ctx.platform.store, input.RoleName);
  if (!rec) throw noSuchRole(input.RoleName);
  const doc = Object.hasOwn(rec.doc.inline, input.PolicyName) ? rec.doc.inline[input.PolicyName] : undefined;
  if (doc === undefined) throw noSuchRolePolicy(rec.doc.RoleName, input.PolicyName);
  return { RoleName: rec.doc.RoleName, PolicyName: input.PolicyName, PolicyDocument: encodePolicy(doc) };
};

export const ListRolePolicies: OperationHandler = async (input, ctx) => {
  const rec = await getRole(ctx.platform.store, input.RoleName);
  if (!rec) throw noSuchRole(input.RoleName);
  const names = Object.keys(rec.doc.inline).sort(byKey((n: string) => n));
  const p = page(names, (n) => n, input);
  return { PolicyNames: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
};

export const DeleteRolePolicy: OperationHandler = async (input, ctx) => {
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => {
    if (!Object.hasOwn(d.inline, input.PolicyName)) throw noSuchRolePolicy(d.RoleName, input.PolicyName);
    const inline = { ...d.inline };
    delete inline[input.PolicyName];
    return { ...d, inline };
  });
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const AttachRolePolicy: OperationHandler = async (input, ctx) => {
  const { store, config } = ctx.platform;
  if (!(await getRole(store, input.RoleName))) throw noSuchRole(input.RoleName);
  if (!(await policyDocumentByArn(store, config.accountId, input.PolicyArn))) throw noSuchPolicy(input.PolicyArn);
  const out = await updateRole(store, input.RoleName, (d) => {
    if (d.attached.includes(input.PolicyArn)) return d;
    if (d.attached.length >= ATTACHED_PER_ROLE) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${ATTACHED_PER_ROLE}`);
    return { ...d, attached: [...d.attached, input.PolicyArn] };
  });
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const DetachRolePolicy: OperationHandler = async (input, ctx) => {
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => {
    if (!d.attached.includes(input.PolicyArn)) throw new ServiceError('NoSuchEntity', `Policy ${input.PolicyArn} was not found.`, 404);
    return { ...d, attached: d.attached.filter((a) => a !== input.PolicyArn) };
  });
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const ListAttachedRolePolicies: OperationHandler = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const rec = await getRole(store, input.RoleName);
  if (!rec) throw noSuchRole(input.RoleName);
  const prefix: string = input.PathPrefix ?? '/';
  const attached: { PolicyName: string; PolicyArn: string }[] = [];
  for (const arn of rec.doc.attached) {
    const path = /:policy(\/(?:.*\/)?)[^/]+$/.exec(arn)?.[1] ?? '/';
    if (!path.startsWith(prefix)) continue;
    const p = await policyDocumentByArn(store, config.accountId, arn);
    attached.push({ PolicyName: p?.name ?? arn.slice(arn.lastIndexOf('/') + 1), PolicyArn: arn });
  }
  attached.sort(byKey((a) => a.PolicyName.toLowerCase()));
  const p = page(attached, (a) => a.PolicyName.toLowerCase(), input);
  return { AttachedPolicies: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
};
