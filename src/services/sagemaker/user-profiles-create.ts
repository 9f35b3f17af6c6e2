import { AlreadyExistsError, validationException } from '../../core/errors.js';
import type { CreateUserProfileRequest } from '../../generated/types/sagemaker.js';
import { createUserHome } from '../../studio/volumes.js';
import { nestedId, userProfileArn } from '../../studio/user-identity.js';
import type { OperationHandler } from '../service.js';
import { compact, requireDomain } from './domains-doc.js';
import { allocateUid } from './domains-uid.js';
import { resourceInUse } from './domains-errors.js';
import { USER_PROFILE_KIND, type UserProfileDoc } from './user-profiles-doc.js';
import { addTags } from './tags-records.js';

/**
 * CreateUserProfile: a user of an InService domain, with its own HomeEfsFileSystemUid (the
 * domain's next, from 200001) and a private home directory (0700) on the domain volume. It signs
 * in with keys from `clary users credentials` and acts with its execution role (docs/studio.md).
 */
export const createUserProfile: OperationHandler<CreateUserProfileRequest> = async (input, ctx) => {
  if (input.SingleSignOnUserIdentifier !== undefined || input.SingleSignOnUserValue !== undefined) {
    throw validationException('SingleSignOnUserIdentifier and SingleSignOnUserValue are only for domains with AuthMode SSO; Clary supports AuthMode IAM only.');
  }
  const { config, store } = ctx.platform;
  const domain = await requireDomain(ctx, input.DomainId);
  const arn = userProfileArn(config, input.DomainId, input.UserProfileName);
  if (domain.doc.Status !== 'InService') throw resourceInUse(`Domain [${domain.arn}] is in ${domain.doc.Status} state; user profiles can be created only in an InService domain.`);
  const id = nestedId(input.DomainId, input.UserProfileName);
  if (await store.getResource(USER_PROFILE_KIND, id)) throw resourceInUse(`UserProfile [${arn}] already exists.`);
  const uid = await allocateUid(ctx, input.DomainId);
  const now = ctx.platform.now();
  const doc: UserProfileDoc = compact({
    DomainId: input.DomainId,
    UserProfileArn: arn,
    UserProfileName: input.UserProfileName,
    HomeEfsFileSystemUid: String(uid),
    Status: 'InService',
    UserSettings: input.UserSettings,
    CreationTime: now,
    LastModifiedTime: now,
  });
  await createUserHome(config, input.DomainId, input.UserProfileName, uid);
  try {
    await store.createResource<UserProfileDoc>({ kind: USER_PROFILE_KIND, id, name: input.UserProfileName, arn, parent: input.DomainId, status: 'InService', creationTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw resourceInUse(`UserProfile [${arn}] already exists.`);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  return { UserProfileArn: arn };
};
