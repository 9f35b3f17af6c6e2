import type { PolicyDoc, RoleDoc, Tag } from '../../iam/iam-directory.js';
import type { ManagedPolicy } from '../../iam/managed-policies.js';

/** Policy documents travel URL-encoded in IAM's responses (clients decode them). */
export const encodePolicy = (doc: string): string => encodeURIComponent(doc);

/** The Role shape: GetRole/CreateRole include Tags and RoleLastUsed; ListRoles leaves them out. */
export function roleView(r: RoleDoc, full: boolean): Record<string, unknown> {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: new Date(r.CreateDate),
    AssumeRolePolicyDocument: encodePolicy(r.AssumeRolePolicyDocument),
    ...(r.Description !== undefined ? { Description: r.Description } : {}),
    MaxSessionDuration: r.MaxSessionDuration,
    ...(full && r.Tags.length > 0 ? { Tags: r.Tags } : {}),
    ...(full ? { RoleLastUsed: {} } : {}),
  };
}

export function customerPolicyView(p: PolicyDoc, attachmentCount: number, withTags: boolean): Record<string, unknown> {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(p.Description !== undefined && withTags ? { Description: p.Description } : {}),
    CreateDate: new Date(p.CreateDate),
    UpdateDate: new Date(p.UpdateDate),
    ...(withTags && p.Tags.length > 0 ? { Tags: p.Tags as Tag[] } : {}),
  };
}

export function managedPolicyView(p: ManagedPolicy, attachmentCount: number, withDescription: boolean): Record<string, unknown> {
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.versionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    ...(withDescription ? { Description: p.description } : {}),
    CreateDate: new Date(p.createDate),
    UpdateDate: new Date(p.updateDate),
  };
}
