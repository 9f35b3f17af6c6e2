import { StaleVersionError, validationException } from '../../core/errors.js';
import type { UpdateSpaceRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { requireSpace, SPACE_KIND, type SpaceDoc } from './spaces-doc.js';

/**
 * UpdateSpace: SpaceDisplayName, and SpaceSettings merged member by member. AppType cannot change
 * (as in SageMaker); sharing and ownership are not updatable.
 */
export const updateSpace: OperationHandler<UpdateSpaceRequest> = async (input, ctx) => {
  for (let attempt = 0; ; attempt++) {
    const record = await requireSpace(ctx, input.DomainId, input.SpaceName);
    const old = record.doc;
    const appType = input.SpaceSettings?.AppType;
    if (appType !== undefined && old.SpaceSettings?.AppType !== undefined && appType !== old.SpaceSettings.AppType) {
      throw validationException(`AppType cannot be changed for Space [${old.SpaceArn}] (it is ${old.SpaceSettings.AppType}).`);
    }
    const now = ctx.platform.now();
    const doc: SpaceDoc = { ...old, LastModifiedTime: now };
    if (input.SpaceDisplayName !== undefined) doc.SpaceDisplayName = input.SpaceDisplayName;
    if (input.SpaceSettings) doc.SpaceSettings = { ...old.SpaceSettings, ...input.SpaceSettings };
    try {
      await ctx.platform.store.updateResource<SpaceDoc>(SPACE_KIND, record.id, record.version, { doc, lastModifiedTime: now });
      return { SpaceArn: old.SpaceArn };
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 4) throw e;
    }
  }
};
