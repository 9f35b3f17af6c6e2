import type { ServiceModule } from '../service.js';
import { addTagsHandler, deleteTagsHandler, listTagsHandler } from './tags-operations.js';
import { createTrainingJob } from './training-jobs-create.js';
import { describeTrainingJob } from './training-jobs-describe.js';
import { listTrainingJobs } from './training-jobs-list.js';
import { stopTrainingJob } from './training-jobs-stop.js';

/**
 * The SageMaker control plane. One handler per operation; operations without a handler answer
 * "not implemented by Clary" (see docs/compatibility.md).
 */
export const sagemakerService: ServiceModule = {
  model: 'sagemaker',
  actionPrefix: 'sagemaker',
  handlers: {
    AddTags: addTagsHandler,
    CreateTrainingJob: createTrainingJob,
    DeleteTags: deleteTagsHandler,
    DescribeTrainingJob: describeTrainingJob,
    ListTags: listTagsHandler,
    ListTrainingJobs: listTrainingJobs,
    StopTrainingJob: stopTrainingJob,
  },
};
