import { validationException } from '../../core/errors.js';
import type { DefaultEbsStorageSettings, SpaceSettings } from '../../generated/types/sagemaker.js';
import { nestedId, USER_PROFILE_KIND } from '../../studio/user-identity.js';
import type { SpaceVolumeSpec } from '../../studio/space-volume.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { DOMAIN_KIND, type DomainDoc } from './domains-doc.js';
import type { SpaceDoc } from './spaces-doc.js';
import type { UserProfileDoc } from './user-profiles-doc.js';

/**
 * A space's storage size (docs/studio.md, "Space storage"). The default and the maximum come from
 * DefaultEbsStorageSettings: for a private space the owner's UserSettings, else the domain's
 * DefaultUserSettings; for a shared space the domain's DefaultSpaceSettings, else its
 * DefaultUserSettings; else SageMaker's own 5 GB default and 100 GB maximum.
 */
export const SAGEMAKER_EBS_DEFAULT_GB = 5;
export const SAGEMAKER_EBS_MAXIMUM_GB = 100;

export interface StorageLimits {
  readonly defaultGb: number;
  readonly maximumGb: number;
}

export function storageLimits(domain: DomainDoc | undefined, owner: UserProfileDoc | undefined, shared: boolean): StorageLimits {
  const candidates: (DefaultEbsStorageSettings | undefined)[] = shared
    ? [domain?.DefaultSpaceSettings?.SpaceStorageSettings?.DefaultEbsStorageSettings, domain?.DefaultUserSettings?.SpaceStorageSettings?.DefaultEbsStorageSettings]
    : [owner?.UserSettings?.SpaceStorageSettings?.DefaultEbsStorageSettings, domain?.DefaultUserSettings?.SpaceStorageSettings?.DefaultEbsStorageSettings];
  const s = candidates.find((c) => c !== undefined);
  return s ? { defaultGb: s.DefaultEbsVolumeSizeInGb, maximumGb: s.MaximumEbsVolumeSizeInGb } : { defaultGb: SAGEMAKER_EBS_DEFAULT_GB, maximumGb: SAGEMAKER_EBS_MAXIMUM_GB };
}

/** The limits that apply to a space, read from its domain and (private spaces) its owner. */
export async function limitsOfSpace(store: MetadataStore, doc: Pick<SpaceDoc, 'DomainId' | 'SpaceSharingSettings' | 'OwnershipSettings'>): Promise<StorageLimits> {
  const domain = (await store.getResource<DomainDoc>(DOMAIN_KIND, doc.DomainId))?.doc;
  const ownerName = doc.OwnershipSettings?.OwnerUserProfileName;
  const shared = doc.SpaceSharingSettings.SharingType !== 'Private';
  const owner = !shared && ownerName ? (await store.getResource<UserProfileDoc>(USER_PROFILE_KIND, nestedId(doc.DomainId, ownerName)))?.doc : undefined;
  return storageLimits(domain, owner, shared);
}

export const sizeOf = (settings: SpaceSettings | undefined): number | undefined => settings?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb;

/** Wording not confirmed against AWS (docs/studio.md). */
export function checkSize(sizeGb: number, limits: StorageLimits, spaceArn: string): void {
  if (sizeGb > limits.maximumGb) {
    throw validationException(`Invalid EbsVolumeSizeInGb ${sizeGb} for Space [${spaceArn}]: it must not exceed the MaximumEbsVolumeSizeInGb of ${limits.maximumGb} set in the domain's or user profile's DefaultEbsStorageSettings.`);
  }
}

/** UpdateSpace may grow a space's volume, never shrink it (an EBS volume cannot shrink). Wording not confirmed against AWS. */
export function checkNotShrinking(newGb: number, oldGb: number, spaceArn: string): void {
  if (newGb < oldGb) {
    throw validationException(`Invalid EbsVolumeSizeInGb ${newGb} for Space [${spaceArn}]: the size of a space's storage cannot be decreased (it is ${oldGb} GB).`);
  }
}

/** What the volume code needs of a stored space. */
export function volumeSpecOf(doc: SpaceDoc): SpaceVolumeSpec {
  return {
    domainId: doc.DomainId,
    space: doc.SpaceName,
    owner: doc.SpaceSharingSettings.SharingType === 'Private' ? { uid: Number(doc.HomeEfsFileSystemUid) } : 'shared',
    sizeGb: sizeOf(doc.SpaceSettings) ?? SAGEMAKER_EBS_DEFAULT_GB,
  };
}
