import type { DescribeUserProfileRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { requireUserProfile, toDescribeUserProfile } from './user-profiles-doc.js';

/** DescribeUserProfile: the stored user profile; a missing one (or one of a domain the caller may not see) is ResourceNotFound. */
export const describeUserProfile: OperationHandler<DescribeUserProfileRequest> = async (input, ctx) =>
  toDescribeUserProfile((await requireUserProfile(ctx, input.DomainId, input.UserProfileName)).doc);
