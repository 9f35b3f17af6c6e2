import type { Category } from './types.js';

/**
 * Per-family rules from which every ml.* type's shape and price is derived (data file).
 *
 * Shape: vCPU comes from the size name (large 2, xlarge 4, Nxlarge 4N, medium `mediumVcpu`),
 * memory is vCPU × `gibPerVcpu`, unless `shapes` gives the size explicitly. Accelerators come from
 * `accelerator.counts`. Sources: standard EC2 shapes ('ec2-specs'), GPU memory per the SageMaker SDK.
 *
 * Price (us-east-1): a confirmed SageMaker figure (confirmed.ts) wins. Otherwise, if the family has
 * a confirmed size, the nearest one (by vCPU) is scaled by the EC2 price ratio between the two sizes
 * (for CPU families that is the vCPU ratio: EC2 prices there are linear in vCPU). Otherwise the EC2
 * on-demand price times `markup`, the SageMaker/EC2 ratio observed on sibling families
 * (m5, c5, t3: 1.2; g4dn/g5: 1.25 above xlarge; p3: 1.25; p4d, p5: 1.15; inf2, trn1: 1.2–1.33).
 */
export type Ec2Price =
  | { readonly perVcpu: number } // linear in vCPU (price of `large` ÷ 2)
  | { readonly perGiB: number } // linear in memory (burstable families)
  | { readonly bySize: Readonly<Record<string, number>> };

export interface AcceleratorRule {
  readonly kind: string;
  readonly memoryGiBEach: number;
  readonly counts: Readonly<Record<string, number>>;
}

export interface FamilyRule {
  readonly category: Category;
  readonly gibPerVcpu?: number;
  readonly mediumVcpu?: number;
  readonly shapes?: Readonly<Record<string, readonly [vcpu: number, memoryGiB: number]>>;
  readonly accelerator?: AcceleratorRule;
  readonly ec2: Ec2Price;
  readonly markup: number;
  /** Set when the EC2 figures are themselves an estimate: why. */
  readonly ec2Estimate?: string;
  /** Set when the shape is an assumption: why. */
  readonly specsEstimate?: string;
  /** Regions that offer the family; absent = every region in regions.ts. */
  readonly regions?: readonly string[];
}

const CPU = 1.2;
/** Newest and scarcest accelerators: assumed offered only in the large US regions (not verified). */
const US_ONLY = ['us-east-1', 'us-east-2', 'us-west-2'] as const;

const gpu = (kind: string, memoryGiBEach: number, counts: Record<string, number>): AcceleratorRule => ({ kind, memoryGiBEach, counts });
const eightWide = { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4, '24xlarge': 4, '48xlarge': 8 };

export const FAMILY_RULES: Readonly<Record<string, FamilyRule>> = {
  // Burstable: EC2 prices are linear in memory.
  t2: { category: 'burstable', mediumVcpu: 2, shapes: { medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] }, ec2: { perGiB: 0.0116 }, markup: CPU },
  t3: {
    category: 'burstable', mediumVcpu: 2,
    shapes: { micro: [2, 1], small: [2, 2], medium: [2, 4], large: [2, 8], xlarge: [4, 16], '2xlarge': [8, 32] },
    ec2: { perGiB: 0.0104 }, markup: CPU,
  },
  // General purpose: 4 GiB per vCPU.
  m4: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.05 }, markup: CPU },
  m5: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.048 }, markup: CPU },
  m5d: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.0565 }, markup: CPU },
  m6g: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.0385 }, markup: CPU },
  m6gd: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.0452 }, markup: CPU },
  m6i: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.048 }, markup: CPU },
  m6id: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.05935 }, markup: CPU },
  m7i: { category: 'general', gibPerVcpu: 4, ec2: { perVcpu: 0.0504 }, markup: CPU },
  m8g: { category: 'general', gibPerVcpu: 4, mediumVcpu: 1, ec2: { perVcpu: 0.04488 }, markup: CPU },
  // Compute optimised: 2 GiB per vCPU (c4 1.875, c5n 2.625).
  c4: { category: 'compute', gibPerVcpu: 1.875, shapes: { '8xlarge': [36, 60] }, ec2: { perVcpu: 0.05 }, markup: CPU },
  c5: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0425 }, markup: CPU },
  c5d: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.048 }, markup: CPU },
  c5n: { category: 'compute', gibPerVcpu: 2.625, shapes: { '9xlarge': [36, 96], '18xlarge': [72, 192] }, ec2: { perVcpu: 0.054 }, markup: CPU },
  c6g: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.034 }, markup: CPU },
  c6gd: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0384 }, markup: CPU },
  c6gn: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0432 }, markup: CPU },
  c6i: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0425 }, markup: CPU },
  c6id: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0504 }, markup: CPU },
  c6in: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.0567 }, markup: CPU },
  c7g: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.03625 }, markup: CPU },
  c7i: { category: 'compute', gibPerVcpu: 2, ec2: { perVcpu: 0.044625 }, markup: CPU },
  c8g: { category: 'compute', gibPerVcpu: 2, mediumVcpu: 1, ec2: { perVcpu: 0.03988 }, markup: CPU },
  // Memory optimised: 8 GiB per vCPU.
  r5: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.063 }, markup: CPU },
  r5d: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.072 }, markup: CPU },
  r6g: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.0504 }, markup: CPU },
  r6gd: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.0576 }, markup: CPU },
  r6i: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.063 }, markup: CPU },
  r6id: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.0756 }, markup: CPU },
  r7gd: { category: 'memory', gibPerVcpu: 8, mediumVcpu: 1, ec2: { perVcpu: 0.06805 }, markup: CPU },
  r7i: { category: 'memory', gibPerVcpu: 8, ec2: { perVcpu: 0.06615 }, markup: CPU },
  r8g: { category: 'memory', gibPerVcpu: 8, mediumVcpu: 1, ec2: { perVcpu: 0.05891 }, markup: CPU },
  // GPU: per-size EC2 prices (not linear in vCPU).
  g4dn: {
    category: 'accelerated-gpu', gibPerVcpu: 4,
    accelerator: gpu('NVIDIA T4', 16, { xlarge: 1, '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '16xlarge': 1, '12xlarge': 4 }),
    ec2: { bySize: { xlarge: 0.526, '2xlarge': 0.752, '4xlarge': 1.204, '8xlarge': 2.176, '12xlarge': 3.912, '16xlarge': 4.352 } },
    markup: 1.25,
  },
  g5: {
    category: 'accelerated-gpu', gibPerVcpu: 4, accelerator: gpu('NVIDIA A10G', 24, eightWide),
    ec2: { bySize: { xlarge: 1.006, '2xlarge': 1.212, '4xlarge': 1.624, '8xlarge': 2.448, '16xlarge': 4.096, '12xlarge': 5.672, '24xlarge': 8.144, '48xlarge': 16.288 } },
    markup: 1.25,
  },
  g6: {
    category: 'accelerated-gpu', gibPerVcpu: 4, accelerator: gpu('NVIDIA L4', 24, eightWide),
    ec2: { bySize: { xlarge: 0.8048, '2xlarge': 0.9776, '4xlarge': 1.3232, '8xlarge': 2.0144, '16xlarge': 3.3968, '12xlarge': 4.6016, '24xlarge': 6.6752, '48xlarge': 13.3504 } },
    markup: 1.25,
  },
  g6e: {
    category: 'accelerated-gpu', gibPerVcpu: 8, accelerator: gpu('NVIDIA L40S', 48, eightWide),
    ec2: { bySize: { xlarge: 1.861, '2xlarge': 2.24208, '4xlarge': 3.00424, '8xlarge': 4.52856, '16xlarge': 7.57719, '12xlarge': 10.49264, '24xlarge': 15.06559, '48xlarge': 30.13118 } },
    markup: 1.25,
  },
  g7: {
    category: 'accelerated-gpu', gibPerVcpu: 4,
    accelerator: gpu('NVIDIA RTX PRO 4500 Blackwell', 32, { '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '12xlarge': 2, '24xlarge': 4, '48xlarge': 8 }),
    specsEstimate: 'launched 2026; GPU per AWS announcement (32 GB), memory per vCPU and GPU counts assumed like g6',
    ec2: { bySize: { '2xlarge': 1.222, '4xlarge': 1.654, '8xlarge': 2.518, '12xlarge': 5.752, '24xlarge': 8.344, '48xlarge': 16.688 } },
    ec2Estimate: 'no price found: g6 prices + 25%',
    markup: 1.25, regions: US_ONLY,
  },
  g7e: {
    category: 'accelerated-gpu', gibPerVcpu: 8,
    accelerator: gpu('NVIDIA RTX PRO 6000 Blackwell', 96, { '2xlarge': 1, '4xlarge': 1, '8xlarge': 1, '12xlarge': 2, '24xlarge': 4, '48xlarge': 8 }),
    specsEstimate: 'GPU per AWS (96 GB); memory per vCPU and GPU counts assumed like g6e',
    ec2: { bySize: { '2xlarge': 3.36, '4xlarge': 4.502, '8xlarge': 6.787, '12xlarge': 15.724, '24xlarge': 22.577, '48xlarge': 45.155 } },
    ec2Estimate: 'g7e.2xlarge $3.36 reported for us-east-2 (sysdesign-wiki); other sizes scaled like g6e',
    markup: 1.25, regions: US_ONLY,
  },
  p2: {
    category: 'accelerated-gpu', shapes: { xlarge: [4, 61], '8xlarge': [32, 488], '16xlarge': [64, 732] },
    accelerator: gpu('NVIDIA K80', 12, { xlarge: 1, '8xlarge': 8, '16xlarge': 16 }),
    ec2: { bySize: { xlarge: 0.9, '8xlarge': 7.2, '16xlarge': 14.4 } }, markup: 1.25,
  },
  p3: {
    category: 'accelerated-gpu', shapes: { '2xlarge': [8, 61], '8xlarge': [32, 244], '16xlarge': [64, 488] },
    accelerator: gpu('NVIDIA V100', 16, { '2xlarge': 1, '8xlarge': 4, '16xlarge': 8 }),
    ec2: { bySize: { '2xlarge': 3.06, '8xlarge': 12.24, '16xlarge': 24.48 } }, markup: 1.25,
  },
  p3dn: {
    category: 'accelerated-gpu', shapes: { '24xlarge': [96, 768] }, accelerator: gpu('NVIDIA V100', 32, { '24xlarge': 8 }),
    ec2: { bySize: { '24xlarge': 31.212 } }, markup: 1.25,
  },
  p4d: {
    category: 'accelerated-gpu', shapes: { '24xlarge': [96, 1152] }, accelerator: gpu('NVIDIA A100', 40, { '24xlarge': 8 }),
    ec2: { bySize: { '24xlarge': 32.7726 } }, markup: 1.15,
  },
  p4de: {
    category: 'accelerated-gpu', shapes: { '24xlarge': [96, 1152] }, accelerator: gpu('NVIDIA A100', 80, { '24xlarge': 8 }),
    ec2: { bySize: { '24xlarge': 40.96608 } }, markup: 1.15, regions: US_ONLY,
  },
  p5: {
    category: 'accelerated-gpu', shapes: { '4xlarge': [16, 256], '48xlarge': [192, 2048] },
    accelerator: gpu('NVIDIA H100', 80, { '4xlarge': 1, '48xlarge': 8 }),
    ec2: { bySize: { '4xlarge': 12.29, '48xlarge': 98.32 } }, markup: 1.15,
    ec2Estimate: 'p5.4xlarge taken as one eighth of p5.48xlarge (one of eight GPUs)',
  },
  p5e: {
    category: 'accelerated-gpu', shapes: { '48xlarge': [192, 2048] }, accelerator: gpu('NVIDIA H200', 141, { '48xlarge': 8 }),
    ec2: { bySize: { '48xlarge': 108.152 } }, ec2Estimate: 'no on-demand list price found: p5.48xlarge + 10%',
    markup: 1.15, regions: US_ONLY,
  },
  p5en: {
    category: 'accelerated-gpu', shapes: { '48xlarge': [192, 2048] }, accelerator: gpu('NVIDIA H200', 141, { '48xlarge': 8 }),
    ec2: { bySize: { '48xlarge': 108.152 } }, ec2Estimate: 'no on-demand list price found: p5.48xlarge + 10%',
    markup: 1.15, regions: US_ONLY,
  },
  'p6-b200': {
    category: 'accelerated-gpu', shapes: { '48xlarge': [192, 2048] }, accelerator: gpu('NVIDIA B200', 179, { '48xlarge': 8 }),
    ec2: { bySize: { '48xlarge': 113.9328 } }, markup: 1.15, regions: US_ONLY,
  },
  'p6-b300': {
    category: 'accelerated-gpu', shapes: { '48xlarge': [192, 4096] }, accelerator: gpu('NVIDIA B300', 268, { '48xlarge': 8 }),
    specsEstimate: '8 × B300 with 268 GB each per the AWS SageMaker announcement; host memory assumed 4 TiB',
    ec2: { bySize: { '48xlarge': 142.416 } }, ec2Estimate: 'no price found: p6-b200.48xlarge + 25%',
    markup: 1.15, regions: US_ONLY,
  },
  'p6e-gb200': {
    category: 'accelerated-gpu', shapes: { '36xlarge': [144, 960] }, accelerator: gpu('NVIDIA GB200 (B200)', 185, { '36xlarge': 4 }),
    specsEstimate: 'one GB200 UltraServer node: 4 Blackwell GPUs, 2 Grace CPUs; figures not confirmed',
    ec2: { bySize: { '36xlarge': 62.663 } }, ec2Estimate: 'no price found: half of p6-b200.48xlarge + 10%',
    markup: 1.15, regions: US_ONLY,
  },
  // Habana Gaudi (training accelerator).
  dl1: {
    category: 'training', shapes: { '24xlarge': [96, 768] }, accelerator: gpu('Habana Gaudi', 32, { '24xlarge': 8 }),
    ec2: { bySize: { '24xlarge': 13.10904 } }, markup: 1.25, regions: ['us-east-1', 'us-west-2'],
  },
  // AWS Inferentia / Trainium.
  inf1: {
    category: 'inference', shapes: { xlarge: [4, 8], '2xlarge': [8, 16], '6xlarge': [24, 48], '24xlarge': [96, 192] },
    accelerator: gpu('AWS Inferentia', 8, { xlarge: 1, '2xlarge': 1, '6xlarge': 4, '24xlarge': 16 }),
    ec2: { bySize: { xlarge: 0.228, '2xlarge': 0.362, '6xlarge': 1.18, '24xlarge': 4.721 } }, markup: 1.3,
  },
  inf2: {
    category: 'inference', shapes: { xlarge: [4, 16], '8xlarge': [32, 128], '24xlarge': [96, 384], '48xlarge': [192, 768] },
    accelerator: gpu('AWS Inferentia2', 32, { xlarge: 1, '8xlarge': 1, '24xlarge': 6, '48xlarge': 12 }),
    ec2: { bySize: { xlarge: 0.7582, '8xlarge': 1.9679, '24xlarge': 6.4906, '48xlarge': 12.9813 } }, markup: 1.3,
  },
  trn1: {
    category: 'training', shapes: { '2xlarge': [8, 32], '32xlarge': [128, 512] },
    accelerator: gpu('AWS Trainium', 32, { '2xlarge': 1, '32xlarge': 16 }),
    ec2: { bySize: { '2xlarge': 1.34375, '32xlarge': 21.5 } }, markup: 1.33,
  },
  trn1n: {
    category: 'training', shapes: { '32xlarge': [128, 512] }, accelerator: gpu('AWS Trainium', 32, { '32xlarge': 16 }),
    ec2: { bySize: { '32xlarge': 24.78 } }, markup: 1.33, regions: US_ONLY,
  },
  trn2: {
    category: 'training', shapes: { '48xlarge': [192, 2048] }, accelerator: gpu('AWS Trainium2', 96, { '48xlarge': 16 }),
    ec2: { bySize: { '48xlarge': 44.7 } }, ec2Estimate: 'trn2.48xlarge on-demand price not confirmed', markup: 1.33, regions: US_ONLY,
  },
  // Studio's geospatial image runs only on this type, only in us-west-2; AWS publishes no shape.
  geospatial: {
    category: 'general', shapes: { interactive: [4, 16] },
    specsEstimate: 'AWS publishes no shape for ml.geospatial.interactive; placeholder equal to ml.m5.xlarge',
    ec2: { bySize: { interactive: 0.192 } }, ec2Estimate: 'no price found: placeholder equal to m5.xlarge',
    markup: CPU, regions: ['us-west-2'],
  },
};
