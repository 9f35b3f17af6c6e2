import { StaleVersionError, validationException } from '../../core/errors.js';
import type { UpdateSpaceRequest } from '../../generated/types/sagemaker.js';
import { growSpaceVolume } from '../../studio/space-volume.js';
import { VolumeBusyError } from '../../studio/space-volume-resize.js';
import type { OperationHandler } from '../service.js';
import { liveAppsOf } from './apps-doc.js';
import { resourceInUse } from './domains-errors.js';
import { requireSpace, SPACE_KIND, type SpaceDoc } from './spaces-doc.js';
import { checkNotShrinking, checkSize, limitsOfSpace, sizeOf, volumeSpecOf } from './spaces-storage.js';

/**
 * UpdateSpace: SpaceDisplayName, and SpaceSettings merged member by member. AppType cannot change
 * (as in SageMaker); sharing and ownership are not updatable. A larger EbsVolumeSizeInGb (up to the
 * maximum) grows the space's volume online, files kept; a smaller one is refused.
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
    const newGb = sizeOf(input.SpaceSettings);
    if (newGb === undefined && input.SpaceSettings?.SpaceStorageSettings) doc.SpaceSettings!.SpaceStorageSettings = old.SpaceSettings?.SpaceStorageSettings;
    if (newGb !== undefined) {
      const oldGb = volumeSpecOf(old).sizeGb;
      checkNotShrinking(newGb, oldGb, old.SpaceArn);
      if (newGb > oldGb) {
        checkSize(newGb, await limitsOfSpace(ctx.platform.store, old), old.SpaceArn);
        // Grown before it is recorded: a volume never smaller than its record (a crash in between leaves it bigger, which is harmless).
        const idle = (await liveAppsOf(ctx.platform.store, old.DomainId, { SpaceName: old.SpaceName })) === 0;
        try {
          await growSpaceVolume({ config: ctx.platform.config, log: ctx.platform.log }, volumeSpecOf(doc), idle);
        } catch (e) {
          if (e instanceof VolumeBusyError) throw resourceInUse(`Unable to grow the storage of Space [${old.SpaceArn}] now: ${e.message}. Delete its app and try again.`);
          throw e;
        }
      }
    }
    try {
      await ctx.platform.store.updateResource<SpaceDoc>(SPACE_KIND, record.id, record.version, { doc, lastModifiedTime: now });
      return { SpaceArn: old.SpaceArn };
    } catch (e) {
      if (!(e instanceof StaleVersionError) || attempt >= 4) throw e;
    }
  }
};
