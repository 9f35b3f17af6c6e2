import { parseArn } from '../../core/arn.js';
import type { Tag } from '../../generated/types/sagemaker.js';
import type { TrainingJobOwner } from './training-jobs-doc.js';

/**
 * Who a new job belongs to, for budgets and cost reports. Principals do not carry a domain or
 * user profile yet; Studio tags what it creates with sagemaker:domain-arn,
 * sagemaker:user-profile-arn and sagemaker:space-arn, so those tags name the owner when present.
 */
export function ownerFromTags(tags: readonly Tag[] | undefined): TrainingJobOwner | undefined {
  if (!tags) return undefined;
  const path = (key: string, type: string): string[] | undefined => {
    const value = tags.find((t) => t.Key === key)?.Value;
    const resource = value === undefined ? undefined : parseArn(value)?.resource;
    if (!resource?.startsWith(`${type}/`)) return undefined;
    const parts = resource.slice(type.length + 1).split('/');
    return parts.every((p) => p !== '') ? parts : undefined;
  };
  const user = path('sagemaker:user-profile-arn', 'user-profile');
  const space = path('sagemaker:space-arn', 'space');
  const domainId = path('sagemaker:domain-arn', 'domain')?.[0] ?? user?.[0] ?? space?.[0];
  if (!domainId) return undefined;
  const owner: TrainingJobOwner = { domainId };
  if (user?.[0] === domainId && user[1]) owner.userProfileName = user[1];
  if (space?.[0] === domainId && space[1]) owner.spaceName = space[1];
  return owner;
}
