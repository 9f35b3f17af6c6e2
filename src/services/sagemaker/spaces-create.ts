import { accessDenied, AlreadyExistsError, validationException } from '../../core/errors.js';
import type { CreateSpaceRequest } from '../../generated/types/sagemaker.js';
import { nestedId, USER_PROFILE_KIND } from '../../studio/user-identity.js';
import { mayOwnFor, viewerOf } from '../../studio/visibility.js';
import { ensureSpaceVolume, removeSpaceVolume } from '../../studio/space-volume.js';
import type { OperationHandler } from '../service.js';
import { compact, requireDomain } from './domains-doc.js';
import { resourceInUse } from './domains-errors.js';
import { allocateUid } from './domains-uid.js';
import { SPACE_KIND, spaceArn, type SpaceDoc } from './spaces-doc.js';
import { checkSize, sizeOf, storageLimits, volumeSpecOf } from './spaces-storage.js';
import { addTags } from './tags-records.js';
import { requireUserProfile, type UserProfileDoc } from './user-profiles-doc.js';

/**
 * CreateSpace: a Private space (OwnershipSettings.OwnerUserProfileName, a user profile of the same
 * domain, required; its directory 0700 owned by the owner's uid) or a Shared one (the default;
 * 2770 for the domain's group, with a uid of its own). A user-profile principal may create private
 * spaces only for itself. Its storage is a volume of SpaceStorageSettings' EBS size (default and
 * maximum from the domain's / owner's DefaultEbsStorageSettings), mounted on its directory.
 */
export const createSpace: OperationHandler<CreateSpaceRequest> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const domain = await requireDomain(ctx, input.DomainId);
  const arn = spaceArn(ctx, input.DomainId, input.SpaceName);
  if (domain.doc.Status !== 'InService') throw resourceInUse(`Domain [${domain.arn}] is in ${domain.doc.Status} state; spaces can be created only in an InService domain.`);
  const sharing = input.SpaceSharingSettings ?? { SharingType: 'Shared' as const };
  const ownerName = input.OwnershipSettings?.OwnerUserProfileName;
  if (sharing.SharingType === 'Private' && ownerName === undefined) {
    throw validationException('OwnershipSettings.OwnerUserProfileName is required when SpaceSharingSettings.SharingType is Private.');
  }
  let owner: UserProfileDoc | undefined;
  if (ownerName !== undefined) {
    owner = (await requireUserProfile(ctx, input.DomainId, ownerName)).doc;
    if (sharing.SharingType === 'Private' && !mayOwnFor(viewerOf(ctx.principal), input.DomainId, ownerName)) {
      throw accessDenied(`User: ${ctx.principal.arn} is not authorized to perform: sagemaker:CreateSpace on resource: ${arn} because a user profile may create private spaces only for itself`);
    }
  }
  const id = nestedId(input.DomainId, input.SpaceName);
  if (await store.getResource(SPACE_KIND, id)) throw resourceInUse(`Space [${arn}] already exists.`);
  const limits = storageLimits(domain.doc, owner, sharing.SharingType !== 'Private');
  const sizeGb = sizeOf(input.SpaceSettings) ?? limits.defaultGb;
  checkSize(sizeGb, limits, arn);
  const uid = sharing.SharingType === 'Private' ? Number(owner!.HomeEfsFileSystemUid) : await allocateUid(ctx, input.DomainId);
  const now = ctx.platform.now();
  const doc: SpaceDoc = compact({
    DomainId: input.DomainId,
    SpaceArn: arn,
    SpaceName: input.SpaceName,
    SpaceDisplayName: input.SpaceDisplayName,
    HomeEfsFileSystemUid: String(uid),
    Status: 'InService',
    SpaceSettings: { ...input.SpaceSettings, SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: sizeGb } } },
    OwnershipSettings: owner ? { OwnerUserProfileName: owner.UserProfileName } : undefined,
    SpaceSharingSettings: sharing,
    Url: `${domain.doc.Url}spaces/${input.SpaceName.toLowerCase()}/`,
    CreationTime: now,
    LastModifiedTime: now,
  });
  await ensureSpaceVolume({ config, log: ctx.platform.log }, volumeSpecOf(doc));
  try {
    await store.createResource<SpaceDoc>({ kind: SPACE_KIND, id, name: input.SpaceName, arn, parent: input.DomainId, status: 'InService', creationTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw resourceInUse(`Space [${arn}] already exists.`);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  // The owner must still exist: a concurrent DeleteUserProfile checked before this space was recorded.
  if (owner && !(await store.getResource(USER_PROFILE_KIND, nestedId(input.DomainId, owner.UserProfileName)))) {
    await store.deleteResource(SPACE_KIND, id);
    await removeSpaceVolume(config, input.DomainId, input.SpaceName);
    throw resourceInUse(`UserProfile [${owner.UserProfileArn}] was deleted while the space was being created.`);
  }
  return { SpaceArn: arn };
};
