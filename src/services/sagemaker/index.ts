import type { ServiceModule } from '../service.js';
import { listTrainingJobs } from './training-jobs-list.js';

/**
 * The SageMaker control plane. One handler per operation; operations without a handler answer
 * "not implemented by Clary" (see docs/compatibility.md).
 */
export const sagemakerService: ServiceModule = {
  model: 'sagemaker',
  actionPrefix: 'sagemaker',
  handlers: {
    ListTrainingJobs: listTrainingJobs,
  },
};
