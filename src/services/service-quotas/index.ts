import type { ServiceModule } from '../service.js';
import { DEFAULT_QUOTA_DEFAULTS, type QuotaDefaults } from '../../compute/quotas/index.js';
import { requestHandlers } from './quota-requests.js';
import { readHandlers } from './read.js';

/**
 * Service Quotas (JSON 1.1, ServiceQuotasV20190624.*), service code "sagemaker" only: the
 * per-instance-type and aggregate instance quotas Clary enforces on Create*.
 */
export function createServiceQuotasService(defaults: QuotaDefaults = DEFAULT_QUOTA_DEFAULTS): ServiceModule {
  return {
    model: 'service-quotas',
    actionPrefix: 'servicequotas',
    handlers: { ...readHandlers(defaults), ...requestHandlers(defaults) },
  };
}

/** The module with the built-in defaults (accelerated types 0, CPU types and aggregates 20). */
export const serviceQuotasService: ServiceModule = createServiceQuotasService();
