/**
 * Figures a cited source gives exactly (reference/sagemaker-contracts.md §6). Everything else in
 * the catalog is derived from these and from the family rules, and is marked so.
 * Prices: SageMaker on-demand, us-east-1, USD per instance-hour.
 */
export interface ConfirmedFigure {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly specSource: string;
  readonly usdPerHour?: number;
  readonly priceSource?: string;
  readonly note?: string;
}

export const CONFIRMED: Readonly<Record<string, ConfirmedFigure>> = {
  'ml.t3.medium': { vcpu: 2, memoryGiB: 4, specSource: 'jhuapl', usdPerHour: 0.05, priceSource: 'jhuapl' },
  'ml.m5.large': { vcpu: 2, memoryGiB: 8, specSource: 'jhuapl', usdPerHour: 0.115, priceSource: 'jhuapl' },
  'ml.m5.xlarge': { vcpu: 4, memoryGiB: 16, specSource: 'fmbench', usdPerHour: 0.23, priceSource: 'fmbench' },
  'ml.m5.2xlarge': { vcpu: 8, memoryGiB: 32, specSource: 'jhuapl', usdPerHour: 0.461, priceSource: 'jhuapl' },
  'ml.c5.xlarge': { vcpu: 4, memoryGiB: 8, specSource: 'jhuapl', usdPerHour: 0.204, priceSource: 'jhuapl' },
  'ml.c5.2xlarge': { vcpu: 8, memoryGiB: 16, specSource: 'jhuapl', usdPerHour: 0.408, priceSource: 'jhuapl' },
  'ml.r5.2xlarge': {
    vcpu: 8, memoryGiB: 64, specSource: 'zindi', usdPerHour: 0.605, priceSource: 'zindi',
    note: 'Zindi lists some prices for us-east-2, which matches us-east-1 for these families',
  },
  'ml.g4dn.xlarge': { vcpu: 4, memoryGiB: 16, specSource: 'goerlitz', usdPerHour: 0.7364, priceSource: 'goerlitz' },
  'ml.g4dn.2xlarge': { vcpu: 8, memoryGiB: 32, specSource: 'goerlitz', usdPerHour: 0.94, priceSource: 'goerlitz' },
  'ml.g4dn.12xlarge': { vcpu: 48, memoryGiB: 192, specSource: 'fmbench', usdPerHour: 4.89, priceSource: 'fmbench' },
  'ml.g5.xlarge': { vcpu: 4, memoryGiB: 16, specSource: 'fmbench', usdPerHour: 1.4084, priceSource: 'fmbench' },
  'ml.g5.2xlarge': { vcpu: 8, memoryGiB: 32, specSource: 'fmbench', usdPerHour: 1.515, priceSource: 'fmbench' },
  'ml.g5.12xlarge': { vcpu: 48, memoryGiB: 192, specSource: 'fmbench', usdPerHour: 7.09, priceSource: 'fmbench' },
  'ml.g5.48xlarge': { vcpu: 192, memoryGiB: 768, specSource: 'fmbench', usdPerHour: 20.36, priceSource: 'fmbench' },
  'ml.p3.2xlarge': { vcpu: 8, memoryGiB: 61, specSource: 'fmbench', usdPerHour: 3.825, priceSource: 'fmbench' },
  'ml.p3.8xlarge': { vcpu: 32, memoryGiB: 244, specSource: 'goerlitz', usdPerHour: 14.688, priceSource: 'goerlitz' },
  'ml.p3.16xlarge': { vcpu: 64, memoryGiB: 488, specSource: 'goerlitz', usdPerHour: 28.152, priceSource: 'goerlitz' },
  'ml.p4d.24xlarge': { vcpu: 96, memoryGiB: 1152, specSource: 'fmbench', usdPerHour: 37.688, priceSource: 'fmbench' },
  'ml.p5.48xlarge': {
    vcpu: 192, memoryGiB: 2048, specSource: 'fmbench', usdPerHour: 113.068, priceSource: 'fmbench',
    note: 'list price before the 2025 P4/P5 price cuts, which were not verified for SageMaker',
  },
  'ml.inf2.xlarge': { vcpu: 4, memoryGiB: 16, specSource: 'fmbench', usdPerHour: 0.99, priceSource: 'fmbench' },
  'ml.inf2.8xlarge': { vcpu: 32, memoryGiB: 128, specSource: 'fmbench', usdPerHour: 2.36, priceSource: 'fmbench' },
  'ml.inf2.48xlarge': { vcpu: 192, memoryGiB: 768, specSource: 'fmbench', usdPerHour: 15.58, priceSource: 'fmbench' },
  'ml.trn1.32xlarge': { vcpu: 128, memoryGiB: 512, specSource: 'fmbench', usdPerHour: 28.497, priceSource: 'fmbench' },
  // Specs only (§6 lists no confirmed price for these).
  'ml.m6i.large': { vcpu: 2, memoryGiB: 8, specSource: 'ec2-specs' },
  'ml.m6i.xlarge': { vcpu: 4, memoryGiB: 16, specSource: 'ec2-specs' },
  'ml.c5.large': { vcpu: 2, memoryGiB: 4, specSource: 'ec2-specs' },
  'ml.c6i.xlarge': { vcpu: 4, memoryGiB: 8, specSource: 'ec2-specs' },
  'ml.r5.large': { vcpu: 2, memoryGiB: 16, specSource: 'zindi' },
  'ml.inf1.xlarge': { vcpu: 4, memoryGiB: 8, specSource: 'ec2-specs' },
  'ml.trn1.2xlarge': { vcpu: 8, memoryGiB: 32, specSource: 'ec2-specs' },
};
