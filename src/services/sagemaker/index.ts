import type { ServiceModule } from '../service.js';
import { createEndpointConfig } from './endpoint-configs-create.js';
import { deleteEndpointConfig } from './endpoint-configs-delete.js';
import { describeEndpointConfig } from './endpoint-configs-describe.js';
import { listEndpointConfigs } from './endpoint-configs-list.js';
import { createEndpoint } from './endpoints-create.js';
import { deleteEndpoint } from './endpoints-delete.js';
import { describeEndpoint } from './endpoints-describe.js';
import { listEndpoints } from './endpoints-list.js';
import { updateEndpointHandler } from './endpoints-update.js';
import { updateEndpointWeightsAndCapacities } from './endpoints-update-weights.js';
import { createModel } from './models-create.js';
import { deleteModel } from './models-delete.js';
import { describeModel } from './models-describe.js';
import { listModels } from './models-list.js';
import { addTagsHandler, deleteTagsHandler, listTagsHandler } from './tags-operations.js';
import { createTrainingJob } from './training-jobs-create.js';
import { describeTrainingJob } from './training-jobs-describe.js';
import { listTrainingJobs } from './training-jobs-list.js';
import { stopTrainingJob } from './training-jobs-stop.js';
import { createTransformJob } from './transform-jobs-create.js';
import { describeTransformJob } from './transform-jobs-describe.js';
import { listTransformJobs } from './transform-jobs-list.js';
import { stopTransformJob } from './transform-jobs-stop.js';
import { createDomain } from './domains-create.js';
import { deleteDomain } from './domains-delete.js';
import { describeDomain } from './domains-describe.js';
import { listDomains } from './domains-list.js';
import { updateDomain } from './domains-update.js';
import { createApp } from './apps-create.js';
import { deleteApp } from './apps-delete.js';
import { describeApp } from './apps-describe.js';
import { listApps } from './apps-list.js';
import { createPresignedDomainUrl } from './presigned-domain-url.js';
import { createSpace } from './spaces-create.js';
import { deleteSpace } from './spaces-delete.js';
import { describeSpace } from './spaces-describe.js';
import { listSpaces } from './spaces-list.js';
import { updateSpace } from './spaces-update.js';
import { withStudioVisibility } from './spaces-tags.js';
import { createUserProfile } from './user-profiles-create.js';
import { deleteUserProfile } from './user-profiles-delete.js';
import { describeUserProfile } from './user-profiles-describe.js';
import { listUserProfiles } from './user-profiles-list.js';
import { updateUserProfile } from './user-profiles-update.js';

/**
 * The SageMaker control plane. One handler per operation; operations without a handler answer
 * "not implemented by Clary" (see docs/compatibility.md).
 */
export const sagemakerService: ServiceModule = {
  model: 'sagemaker',
  actionPrefix: 'sagemaker',
  handlers: {
    // Studio (docs/studio.md)
    CreateDomain: createDomain,
    DescribeDomain: describeDomain,
    ListDomains: listDomains,
    UpdateDomain: updateDomain,
    DeleteDomain: deleteDomain,
    CreateUserProfile: createUserProfile,
    DescribeUserProfile: describeUserProfile,
    ListUserProfiles: listUserProfiles,
    UpdateUserProfile: updateUserProfile,
    DeleteUserProfile: deleteUserProfile,
    CreateSpace: createSpace,
    DescribeSpace: describeSpace,
    ListSpaces: listSpaces,
    UpdateSpace: updateSpace,
    DeleteSpace: deleteSpace,
    // Studio apps and presigned URLs (docs/studio-apps.md)
    CreateApp: createApp,
    DescribeApp: describeApp,
    ListApps: listApps,
    DeleteApp: deleteApp,
    CreatePresignedDomainUrl: createPresignedDomainUrl,
    CreateEndpoint: createEndpoint,
    CreateEndpointConfig: createEndpointConfig,
    CreateModel: createModel,
    DeleteEndpoint: deleteEndpoint,
    DeleteEndpointConfig: deleteEndpointConfig,
    DeleteModel: deleteModel,
    DescribeEndpoint: describeEndpoint,
    DescribeEndpointConfig: describeEndpointConfig,
    DescribeModel: describeModel,
    ListEndpointConfigs: listEndpointConfigs,
    ListEndpoints: listEndpoints,
    ListModels: listModels,
    UpdateEndpoint: updateEndpointHandler,
    UpdateEndpointWeightsAndCapacities: updateEndpointWeightsAndCapacities,
    AddTags: withStudioVisibility(addTagsHandler),
    CreateTrainingJob: createTrainingJob,
    DeleteTags: withStudioVisibility(deleteTagsHandler),
    DescribeTrainingJob: describeTrainingJob,
    ListTags: withStudioVisibility(listTagsHandler),
    ListTrainingJobs: listTrainingJobs,
    StopTrainingJob: stopTrainingJob,
    CreateTransformJob: createTransformJob,
    DescribeTransformJob: describeTransformJob,
    ListTransformJobs: listTransformJobs,
    StopTransformJob: stopTransformJob,
  },
};
