import type { CreateDomainRequest } from '../../generated/types/sagemaker.js';
import { createDomainVolume, FIRST_STUDIO_UID, volumeId } from '../../studio/volumes.js';
import type { OperationHandler } from '../service.js';
import { compact, DOMAIN_KIND, domainArn, domainUrl, newDomainId, type DomainDoc } from './domains-doc.js';
import { validateAuthMode, validateNetwork } from './domains-validate.js';
import { addTags } from './tags-records.js';

/**
 * CreateDomain: records the domain Pending, creates its volume (a directory tree under the data
 * dir, docs/studio.md) and only then marks it InService; a volume that cannot be made leaves it
 * Failed with the reason.
 */
export const createDomain: OperationHandler<CreateDomainRequest> = async (input, ctx) => {
  validateAuthMode(input.AuthMode);
  validateNetwork(input.AppNetworkAccessType, input.VpcId, input.SubnetIds);
  const { config, store } = ctx.platform;
  const domainId = newDomainId();
  const arn = domainArn(ctx, domainId);
  const now = ctx.platform.now();
  const doc: DomainDoc = compact({
    DomainId: domainId,
    DomainArn: arn,
    DomainName: input.DomainName,
    AuthMode: 'IAM',
    HomeEfsFileSystemId: volumeId(domainId),
    Status: 'Pending',
    DefaultUserSettings: input.DefaultUserSettings,
    DefaultSpaceSettings: input.DefaultSpaceSettings,
    DomainSettings: input.DomainSettings,
    AppNetworkAccessType: input.AppNetworkAccessType ?? 'PublicInternetOnly',
    AppSecurityGroupManagement: input.AppSecurityGroupManagement,
    HomeEfsFileSystemCreation: input.HomeEfsFileSystemCreation,
    HomeEfsFileSystemKmsKeyId: input.HomeEfsFileSystemKmsKeyId,
    KmsKeyId: input.KmsKeyId,
    SubnetIds: input.SubnetIds,
    VpcId: input.VpcId,
    TagPropagation: input.TagPropagation,
    Url: domainUrl(ctx.platform, domainId),
    CreationTime: now,
    LastModifiedTime: now,
    NextUid: FIRST_STUDIO_UID,
  });
  const created = await store.createResource<DomainDoc>({ kind: DOMAIN_KIND, id: domainId, name: input.DomainName, arn, parent: null, status: 'Pending', creationTime: now, doc });
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  let status: DomainDoc['Status'] = 'InService';
  let failure: string | undefined;
  try {
    await createDomainVolume(config, domainId);
  } catch (e) {
    status = 'Failed';
    failure = `Clary could not create the domain's volume: ${(e as Error).message}`;
    ctx.log.error({ err: e, domainId }, 'cannot create Studio domain volume');
  }
  const at = ctx.platform.now();
  await store.updateResource<DomainDoc>(DOMAIN_KIND, domainId, created.version, {
    status,
    lastModifiedTime: at,
    doc: compact({ ...doc, Status: status, FailureReason: failure, LastModifiedTime: at }),
  });
  return { DomainArn: arn, DomainId: domainId, Url: doc.Url };
};
