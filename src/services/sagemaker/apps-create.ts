import { randomBytes } from 'node:crypto';
import { getInstanceType } from '../../compute/catalog/index.js';
import { checkQuota } from '../../compute/quotas/index.js';
import { AlreadyExistsError, validationException } from '../../core/errors.js';
import type { CreateAppRequest } from '../../generated/types/sagemaker.js';
import { viewerOf } from '../../studio/visibility.js';
import { appBaseUrl, isServedAppType, SERVED_APP_TYPES } from '../../controllers/apps/app-paths.js';
import type { OperationHandler } from '../service.js';
import { APP_KIND, appArn, appId, canSeeApp, ownerOf, type AppDoc } from './apps-doc.js';
import { requireDomain } from './domains-doc.js';
import { resourceInUse } from './domains-errors.js';
import { requireSpace } from './spaces-doc.js';
import { addTags } from './tags-records.js';
import { requireUserProfile } from './user-profiles-doc.js';

/** SageMaker's default instance types: JupyterServer runs on "system", the space apps on ml.t3.medium. */
const defaultInstanceType = (appType: string) => (appType === 'JupyterServer' ? 'system' : 'ml.t3.medium');
/** What the free "system" instance is limited (and placed) as. */
export const SYSTEM_INSTANCE_AS = 'ml.t3.medium';

/**
 * CreateApp: records the app Pending; the app controller starts its Jupyter server
 * (docs/studio-apps.md). JupyterServer and JupyterLab are served (both by Debian's Jupyter
 * Notebook); other types are refused. The instance type is quota-checked ("ml.X for spaces").
 */
export const createApp: OperationHandler<CreateAppRequest> = async (input, ctx) => {
  const { store } = ctx.platform;
  const owner = ownerOf(input);
  const domain = await requireDomain(ctx, input.DomainId);
  if (domain.doc.Status !== 'InService') throw resourceInUse(`Domain [${domain.arn}] is in ${domain.doc.Status} state; apps can be created only in an InService domain.`);
  if (owner.SpaceName) await requireSpace(ctx, input.DomainId, owner.SpaceName);
  else await requireUserProfile(ctx, input.DomainId, owner.UserProfileName!);
  const arn = appArn(ctx, input.DomainId, owner, input.AppType, input.AppName);
  if (!(await canSeeApp(store, viewerOf(ctx.principal), { DomainId: input.DomainId, ...owner }))) {
    throw validationException(`User profile apps may be created only by that user profile: ${arn}`);
  }
  if (!isServedAppType(input.AppType)) {
    throw validationException(`AppType ${input.AppType} is not supported by Clary: this installation serves ${SERVED_APP_TYPES.join(' and ')} (Jupyter Notebook from Debian).`);
  }
  if (owner.UserProfileName && input.AppType !== 'JupyterServer') throw validationException(`AppType ${input.AppType} must be created in a space (SpaceName).`);
  if (input.ResourceSpec?.SageMakerImageArn || input.ResourceSpec?.SageMakerImageVersionArn || input.ResourceSpec?.LifecycleConfigArn) {
    throw validationException('ResourceSpec images and lifecycle configurations are not supported by Clary: apps run the host\'s Jupyter.');
  }
  const instanceType = input.ResourceSpec?.InstanceType ?? defaultInstanceType(input.AppType);
  if (instanceType !== 'system') {
    if (!getInstanceType(instanceType)) throw validationException(`Instance type ${instanceType} is not in Clary's catalog.`);
    await checkQuota(store, { workload: 'app', instanceType, delta: 1, defaults: ctx.platform.config.quotas });
  }
  const id = appId(input.DomainId, owner, input.AppType, input.AppName);
  const existing = await store.getResource<AppDoc>(APP_KIND, id);
  if (existing && existing.doc.Status !== 'Deleted' && existing.doc.Status !== 'Failed') throw resourceInUse(`App [${arn}] already exists.`);
  // Only one live app of a type per space or user profile (SageMaker's rule for spaces).
  const now = ctx.platform.now();
  const doc: AppDoc = {
    DomainId: input.DomainId,
    ...owner,
    AppType: input.AppType,
    AppName: input.AppName,
    AppArn: arn,
    Status: 'Pending',
    ResourceSpec: { ...input.ResourceSpec, InstanceType: instanceType } as AppDoc['ResourceSpec'],
    CreationTime: now,
    CreatedBy: ctx.principal.arn,
    Clary: {
      token: randomBytes(24).toString('hex'),
      baseUrl: appBaseUrl(input.DomainId, owner, input.AppType, input.AppName),
      allocationId: `app-${randomBytes(8).toString('hex')}`,
      vpcOnly: domain.doc.AppNetworkAccessType === 'VpcOnly' || undefined,
    },
  };
  if (existing) await store.deleteResource(APP_KIND, id);
  try {
    await store.createResource<AppDoc>({ kind: APP_KIND, id, name: input.AppName, arn, parent: input.DomainId, status: 'Pending', creationTime: now, doc });
  } catch (e) {
    if (e instanceof AlreadyExistsError) throw resourceInUse(`App [${arn}] already exists.`);
    throw e;
  }
  if (input.Tags?.length) await addTags(store, arn, input.Tags, now);
  ctx.platform.changed(APP_KIND);
  return { AppArn: arn };
};
