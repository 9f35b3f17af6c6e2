import type { DeleteDomainRequest } from '../../generated/types/sagemaker.js';
import { USER_PROFILE_KIND, SPACE_KIND } from '../../studio/user-identity.js';
import { unmountAllUnder } from '../../studio/mounts.js';
import { domainVolume, removeDomainVolume } from '../../studio/volumes.js';
import type { OperationHandler } from '../service.js';
import { DOMAIN_KIND, requireDomain } from './domains-doc.js';
import { resourceInUse } from './domains-errors.js';
import { dropTags } from './tags-records.js';

/**
 * DeleteDomain: refused (ResourceInUse) while user profiles or spaces exist. RetentionPolicy
 * HomeEfsFileSystem Retain (the default) keeps the volume on disk; Delete removes it.
 */
export const deleteDomain: OperationHandler<DeleteDomainRequest> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const record = await requireDomain(ctx, input.DomainId);
  const spaces = await store.countResources(SPACE_KIND, record.id);
  if (spaces > 0) throw resourceInUse(`Unable to delete Domain [${record.arn}] because Space(s) are associated with it.`);
  const users = await store.countResources(USER_PROFILE_KIND, record.id);
  if (users > 0) throw resourceInUse(`Unable to delete Domain [${record.arn}] because UserProfile(s) are associated with it.`);
  await store.deleteResource(DOMAIN_KIND, record.id);
  await dropTags(store, record.arn);
  if (input.RetentionPolicy?.HomeEfsFileSystem === 'Delete') {
    // Nothing may stay mounted in it (space volumes, docs/studio.md): rm would empty the mounted file system and then fail.
    await unmountAllUnder(domainVolume(config, record.id));
    await removeDomainVolume(config, record.id);
  }
  return {};
};
