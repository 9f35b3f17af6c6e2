import type { ServiceModule } from '../service.js';
import { AttachRolePolicy, DeleteRolePolicy, DetachRolePolicy, GetRolePolicy, ListAttachedRolePolicies, ListRolePolicies, PutRolePolicy } from './role-policies.js';
import { CreatePolicy, DeletePolicy, GetPolicy, GetPolicyVersion, ListPolicies } from './policies.js';
import { CreateRole, DeleteRole, GetRole, ListRoles, ListRoleTags, TagRole, UntagRole, UpdateAssumeRolePolicy, UpdateRole } from './roles.js';
import { iamResourceOf } from './resource-of.js';

/** IAM (query protocol): roles, their inline and attached policies, customer and AWS managed policies (docs/iam.md). */
export const iamService: ServiceModule = {
  model: 'iam',
  actionPrefix: 'iam',
  handlers: {
    CreateRole, GetRole, ListRoles, DeleteRole, UpdateRole, UpdateAssumeRolePolicy, TagRole, UntagRole, ListRoleTags,
    PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy, AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies,
    CreatePolicy, GetPolicy, GetPolicyVersion, ListPolicies, DeletePolicy,
  },
  resourceOf: iamResourceOf,
};
