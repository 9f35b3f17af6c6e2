import { isServiceError } from '../../core/errors.js';
import type { Platform } from '../../services/service.js';
import { getVariantInstanceCounts, setVariantDesiredInstanceCount } from '../hosting/index.js';
import type { VariantScaler } from './variant-scaler.js';

/** The autoscaler's VariantScaler over the hosting controller: an endpoint document's desired counts. */
export function hostingVariantScaler(platform: Platform): VariantScaler {
  return {
    async currentCount(endpoint, variant) {
      try {
        return (await getVariantInstanceCounts(platform, endpoint)).find((v) => v.variantName === variant)?.desiredInstanceCount;
      } catch (e) {
        if (isServiceError(e)) return undefined; // no such endpoint
        throw e;
      }
    },
    setDesiredCount: (endpoint, variant, count) => setVariantDesiredInstanceCount(platform, endpoint, variant, count),
  };
}
