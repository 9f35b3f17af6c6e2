import { StaleVersionError } from '../../core/errors.js';
import type { UpdateDomainRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { compact, DOMAIN_KIND, requireDomain, type DomainDoc } from './domains-doc.js';
import { resourceInUse } from './domains-errors.js';
import { validateNetwork } from './domains-validate.js';

/**
 * UpdateDomain: DefaultUserSettings and DefaultSpaceSettings are merged member by member (a member
 * given replaces the stored one), AppNetworkAccessType, SubnetIds, VpcId and the other scalars
 * replace theirs. A changed ExecutionRole applies to user profiles at their next request.
 */
export const updateDomain: OperationHandler<UpdateDomainRequest> = async (input, ctx) => {
  for (let attempt = 0; ; attempt++) {
    const record = await requireDomain(ctx, input.DomainId);
    const old = record.doc;
    if (old.Status !== 'InService' && old.Status !== 'Failed') throw resourceInUse(`Domain [${old.DomainArn}] is in ${old.Status} state and cannot be updated.`);
    const next: DomainDoc = compact({
      ...old,
      DefaultUserSettings: input.DefaultUserSettings ? { ...old.DefaultUserSettings, ...input.DefaultUserSettings } : old.DefaultUserSettings,
      DefaultSpaceSettings: input.DefaultSpaceSettings ? { ...old.DefaultSpaceSettings, ...input.DefaultSpaceSettings } : old.DefaultSpaceSettings,
      DomainSettings: input.DomainSettingsForUpdate ? { ...old.DomainSettings, ...(input.DomainSettingsForUpdate as Record<string, unknown>) } : old.DomainSettings,
      AppNetworkAccessType: input.AppNetworkAccessType ?? old.AppNetworkAccessType,
      AppSecurityGroupManagement: input.AppSecurityGroupManagement ?? old.AppSecurityGroupManagement,
      HomeEfsFileSystemCreation: input.HomeEfsFileSystemCreation ?? old.HomeEfsFileSystemCreation,
      SubnetIds: input.SubnetIds ?? old.SubnetIds,
      VpcId: input.VpcId ?? old.VpcId,
      TagPropagation: input.TagPropagation ?? old.TagPropagation,
      LastModifiedTime: ctx.platform.now(),
    });
    validateNetwork(next.AppNetworkAccessType, next.VpcId, next.SubnetIds);
    try {
      await ctx.platform.store.updateResource<DomainDoc>(DOMAIN_KIND, record.id, record.version, { doc: next, lastModifiedTime: next.LastModifiedTime });
      return { DomainArn: old.DomainArn };
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 4) throw e;
    }
  }
};
