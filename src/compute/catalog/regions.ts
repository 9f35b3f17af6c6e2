import type { RegionInfo } from './types.js';

/**
 * Regions the catalog prices, with the multiplier applied to the us-east-1 figure. The multipliers
 * are the EC2 on-demand ratios of m5.large (us-east-1 $0.096; us-west-2 and us-east-2 the same,
 * eu-west-1 $0.107, eu-central-1 $0.115, ap-northeast-1 $0.124), applied to every family: GPU
 * families often cost more than this outside the US. Every regional figure is therefore derived.
 */
export const BASE_REGION = 'us-east-1';

export const REGIONS: Readonly<Record<string, RegionInfo>> = {
  'us-east-1': { multiplier: 1, note: 'base region: confirmed and derived figures' },
  'us-east-2': { multiplier: 1, note: 'EC2 m5.large equals us-east-1' },
  'us-west-2': { multiplier: 1, note: 'EC2 m5.large equals us-east-1' },
  'eu-west-1': { multiplier: 1.12, note: 'EC2 m5.large 0.107 / 0.096' },
  'eu-central-1': { multiplier: 1.2, note: 'EC2 m5.large 0.115 / 0.096' },
  'ap-northeast-1': { multiplier: 1.29, note: 'EC2 m5.large 0.124 / 0.096' },
};
