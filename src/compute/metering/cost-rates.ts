import { getInstanceType, priceFor } from '../catalog/index.js';

/**
 * What an instance-second costs. SageMaker's: the catalog's on-demand price in the configured
 * region (us-east-1's where the region does not price the type). Local: a share of what one hour
 * of this host costs (power, hardware amortisation — the operator's figure, default 0), shared
 * between instances by vCPU: an instance with v vCPUs on a host with H costs min(1, v / H) of it.
 */
export interface LocalCostRate {
  readonly usdPerHostHour: number;
  readonly hostVcpus: number;
}

export const NO_LOCAL_COST: LocalCostRate = Object.freeze({ usdPerHostHour: 0, hostVcpus: 1 });

const BASE_REGION = 'us-east-1';

/** USD per instance-hour at SageMaker's list price; 0 for a type the catalog does not price. */
export function sageMakerUsdPerHour(instanceType: string, region: string): number {
  return (priceFor(instanceType, region) ?? priceFor(instanceType, BASE_REGION))?.usdPerHour ?? 0;
}

/** USD per instance-hour of this host's cost. */
export function localUsdPerHour(instanceType: string, rate: LocalCostRate): number {
  if (rate.usdPerHostHour <= 0) return 0;
  const vcpu = getInstanceType(instanceType)?.vcpu ?? rate.hostVcpus;
  return rate.usdPerHostHour * Math.min(1, vcpu / Math.max(1, rate.hostVcpus));
}
