import type { ArnScope } from '../core/arn.js';
import type { SpaceDoc } from '../services/sagemaker/spaces-doc.js';
import { readTags } from '../services/sagemaker/tags-records.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { nestedId, SPACE_KIND, userProfileArn } from '../studio/user-identity.js';
import { requestConditionKeys, type ConditionValues } from './sagemaker-condition-keys.js';

/**
 * The condition keys of one SageMaker request (docs/iam.md, "SageMaker condition keys"): those
 * computed from the input (sagemaker-condition-keys.ts) plus those that need the store —
 *
 * - `sagemaker:ResourceTag/<key>` and `aws:ResourceTag/<key>`: the tags of the resource the request
 *   acts on (its ARN as authorized), for every operation on an existing resource;
 * - `sagemaker:SpaceSharingType` (Private | Shared) and `sagemaker:OwnerUserProfileArn` on CreateApp,
 *   DeleteApp (of a space), CreateSpace (from the request), UpdateSpace and DeleteSpace (from the
 *   stored space). An app of a user profile has neither, so `"Null": {"sagemaker:OwnerUserProfileArn":
 *   "true"}` tells the two apart as AWS's Studio policies do.
 *
 * Called only for non-admin callers (the admin is never evaluated).
 */
export interface ConditionScope extends ArnScope {
  readonly store: MetadataStore;
}

const SPACE_OPERATIONS = new Set(['CreateApp', 'DeleteApp', 'UpdateSpace', 'DeleteSpace']);

export async function sagemakerConditionKeys(operation: string, input: unknown, resource: string, scope: ConditionScope): Promise<ConditionValues> {
  const out = requestConditionKeys(operation, input, scope);
  const i = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  if (resource !== '*' && actsOnExisting(operation)) Object.assign(out, await resourceTagKeys(scope.store, resource));
  if (operation === 'CreateSpace') Object.assign(out, spaceKeys(scope, i.DomainId, i.SpaceSharingSettings, i.OwnershipSettings));
  else if (SPACE_OPERATIONS.has(operation) && typeof i.DomainId === 'string' && typeof i.SpaceName === 'string') {
    const space = await scope.store.getResource<SpaceDoc>(SPACE_KIND, nestedId(i.DomainId, i.SpaceName));
    if (space) Object.assign(out, spaceKeys(scope, i.DomainId, space.doc.SpaceSharingSettings, space.doc.OwnershipSettings));
  }
  return out;
}

/** Create* names a resource that does not exist yet (no tags to read), except CreatePresigned*Url, which acts on one. */
const actsOnExisting = (operation: string): boolean => !operation.startsWith('Create') || operation.startsWith('CreatePresigned');

/** sagemaker:ResourceTag/<key> and aws:ResourceTag/<key> for the tags stored under the ARN. */
export async function resourceTagKeys(store: MetadataStore, arn: string): Promise<ConditionValues> {
  const out: ConditionValues = {};
  for (const t of await readTags(store, arn)) {
    out[`sagemaker:ResourceTag/${t.Key}`] = t.Value;
    out[`aws:ResourceTag/${t.Key}`] = t.Value;
  }
  return out;
}

function spaceKeys(scope: ArnScope, domainId: unknown, sharing: unknown, ownership: unknown): ConditionValues {
  const out: ConditionValues = {};
  const type = (sharing as { SharingType?: unknown } | undefined)?.SharingType;
  if (typeof type === 'string') out['sagemaker:SpaceSharingType'] = type;
  const owner = (ownership as { OwnerUserProfileName?: unknown } | undefined)?.OwnerUserProfileName;
  if (typeof owner === 'string' && typeof domainId === 'string') out['sagemaker:OwnerUserProfileArn'] = userProfileArn(scope, domainId, owner);
  return out;
}
