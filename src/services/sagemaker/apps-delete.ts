import type { DeleteAppRequest } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { StaleVersionError } from '../../core/errors.js';
import { APP_KIND, ownerOf, requireApp, type AppDoc } from './apps-doc.js';
import { resourceInUse } from './domains-errors.js';

/**
 * DeleteApp: marks the app Deleting; the app controller stops its server, frees its capacity and
 * marks it Deleted. Deleting a Deleted (or Deleting) app is SageMaker's ResourceInUse.
 */
export const deleteApp: OperationHandler<DeleteAppRequest> = async (input, ctx) => {
  const { store } = ctx.platform;
  for (let attempt = 0; attempt < 5; attempt++) {
    const rec = await requireApp(ctx, { ...input, ...ownerOf(input) });
    if (rec.doc.Status === 'Deleted' || rec.doc.Status === 'Deleting') throw resourceInUse(`App [${rec.arn}] is in ${rec.doc.Status} state and cannot be deleted.`);
    const doc: AppDoc = { ...rec.doc, Status: 'Deleting' };
    try {
      await store.updateResource<AppDoc>(APP_KIND, rec.id, rec.version, { doc, status: 'Deleting', lastModifiedTime: ctx.platform.now() });
      ctx.platform.changed(APP_KIND);
      return {};
    } catch (e) {
      if (!(e instanceof StaleVersionError)) throw e;
    }
  }
  throw resourceInUse(`App ${input.AppName} is being changed; try again.`);
};
