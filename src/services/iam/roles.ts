import type { OperationHandler } from '../service.js';
import { allRoles, createRole, getRole, iamUniqueId, roleArn, ROLE_KIND, updateRole, type RoleDoc } from '../../iam/iam-directory.js';
import { checkedPolicy, deleteConflict, limitExceeded, noSuchRole } from '../../iam/iam-errors.js';
import { parsePolicy } from '../../iam/policy-document.js';
import { iamChanged } from '../../iam/iam-changes.js';
import { byKey, page } from './paging.js';
import { checkNewTags, mergeTags, removeTags } from './tags.js';
import { roleView } from './views.js';

/** A trust policy: at most 2048 characters (IAM's ACLSizePerRole), Principal required. */
function checkTrustPolicy(text: string): void {
  if (text.length > 2048) throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
  checkedPolicy(() => parsePolicy(text, 'trust'));
}

async function mustGetRole(ctx: Parameters<OperationHandler>[1], name: string): Promise<RoleDoc> {
  const rec = await getRole(ctx.platform.store, name);
  if (!rec) throw noSuchRole(name);
  return rec.doc;
}

export const CreateRole: OperationHandler = async (input, ctx) => {
  checkTrustPolicy(input.AssumeRolePolicyDocument);
  const path: string = input.Path ?? '/';
  const doc: RoleDoc = {
    RoleName: input.RoleName,
    RoleId: iamUniqueId('AROA'),
    Arn: roleArn(ctx.platform.config.accountId, path, input.RoleName),
    Path: path,
    AssumeRolePolicyDocument: input.AssumeRolePolicyDocument,
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    MaxSessionDuration: input.MaxSessionDuration ?? 3600,
    Tags: checkNewTags(input.Tags),
    CreateDate: Math.floor(ctx.platform.now() / 1000) * 1000,
    inline: {},
    attached: [],
  };
  await createRole(ctx.platform.store, doc);
  iamChanged(ctx.platform);
  return { Role: roleView(doc, true) };
};

export const GetRole: OperationHandler = async (input, ctx) => ({ Role: roleView(await mustGetRole(ctx, input.RoleName), true) });

export const ListRoles: OperationHandler = async (input, ctx) => {
  const prefix: string = input.PathPrefix ?? '/';
  const roles = (await allRoles(ctx.platform.store)).filter((r) => r.Path.startsWith(prefix));
  const key = (r: RoleDoc) => r.RoleName.toLowerCase();
  roles.sort(byKey(key));
  const p = page(roles, key, input);
  return { Roles: p.items.map((r) => roleView(r, false)), IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
};

export const DeleteRole: OperationHandler = async (input, ctx) => {
  const role = await mustGetRole(ctx, input.RoleName);
  if (role.attached.length > 0) throw deleteConflict('Cannot delete entity, must detach all policies first.');
  if (Object.keys(role.inline).length > 0) throw deleteConflict('Cannot delete entity, must delete policies first.');
  await ctx.platform.store.deleteResource(ROLE_KIND, role.RoleName.toLowerCase());
  iamChanged(ctx.platform);
  return {};
};

export const UpdateAssumeRolePolicy: OperationHandler = async (input, ctx) => {
  checkTrustPolicy(input.PolicyDocument);
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => ({ ...d, AssumeRolePolicyDocument: input.PolicyDocument }));
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const UpdateRole: OperationHandler = async (input, ctx) => {
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => ({
    ...d,
    ...(input.Description !== undefined ? { Description: input.Description } : {}),
    ...(input.MaxSessionDuration !== undefined ? { MaxSessionDuration: input.MaxSessionDuration } : {}),
  }));
  if (!out) throw noSuchRole(input.RoleName);
  return {};
};

export const TagRole: OperationHandler = async (input, ctx) => {
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => ({ ...d, Tags: mergeTags(d.Tags, input.Tags, 'Role') }));
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const UntagRole: OperationHandler = async (input, ctx) => {
  const out = await updateRole(ctx.platform.store, input.RoleName, (d) => ({ ...d, Tags: removeTags(d.Tags, input.TagKeys) }));
  if (!out) throw noSuchRole(input.RoleName);
  iamChanged(ctx.platform);
  return {};
};

export const ListRoleTags: OperationHandler = async (input, ctx) => {
  const role = await mustGetRole(ctx, input.RoleName);
  const tags = [...role.Tags].sort(byKey((t) => t.Key));
  const p = page(tags, (t) => t.Key, input);
  return { Tags: p.items, IsTruncated: p.IsTruncated, ...(p.Marker ? { Marker: p.Marker } : {}) };
};
