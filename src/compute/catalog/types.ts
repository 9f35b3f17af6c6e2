/** Shapes of the ml.* instance catalog (src/compute/catalog/instance-types.json). */

/** The SageMaker workloads an instance type can serve, each defined by one enum of the service model. */
export const WORKLOADS = ['training', 'hosting', 'processing', 'transform', 'app', 'notebook'] as const;
export type Workload = (typeof WORKLOADS)[number];

export const CATEGORIES = ['general', 'compute', 'memory', 'burstable', 'accelerated-gpu', 'inference', 'training'] as const;
export type Category = (typeof CATEGORIES)[number];

/** How a figure that is not confirmed was obtained (see docs/instances.md). */
export type Derivation =
  | 'size-rule' // vCPU from the size name, memory from the family's GiB per vCPU, accelerators from the family table
  | 'linear-from-confirmed' // price scaled from a confirmed size of the same family (by vCPU, memory or EC2 price ratio)
  | 'ec2-times-markup' // EC2 on-demand list price times the family's SageMaker markup
  | 'region-multiplier' // us-east-1 figure times the region's documented multiplier
  | 'estimate'; // no public figure found; a stated assumption

export interface Accelerator {
  /** e.g. "NVIDIA A10G", "AWS Inferentia2". */
  readonly kind: string;
  readonly count: number;
  /** Accelerator memory of the whole instance (count × memoryGiBEach). */
  readonly memoryGiB: number;
  readonly memoryGiBEach: number;
}

export interface Provenance {
  /** True only where a cited source gave this exact figure. */
  readonly confirmed: boolean;
  /** Key into Catalog.sources. */
  readonly source: string;
  /** When the figure was recorded (YYYY-MM-DD). */
  readonly asOf: string;
  /** Present on every unconfirmed figure. */
  readonly derived?: Derivation;
  /** How exactly, e.g. "ml.m5.xlarge × 8/4 vCPU". */
  readonly note?: string;
}

export interface PriceFigure extends Provenance {
  /** On-demand USD per instance-hour (billed per second). */
  readonly usdPerHour: number;
}

export interface InstanceTypeInfo {
  /** "ml.g5.xlarge". */
  readonly name: string;
  /** "g5". */
  readonly family: string;
  /** "xlarge". */
  readonly size: string;
  readonly category: Category;
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly accelerator: Accelerator | null;
  readonly specs: Provenance;
  /** Workloads whose model enum lists this type, in WORKLOADS order. */
  readonly workloads: readonly Workload[];
  /** region → on-demand price. A region without an entry does not offer the type. */
  readonly prices: Readonly<Record<string, PriceFigure>>;
}

export interface WorkloadEnum {
  /** Shape in the SageMaker model, e.g. "TrainingInstanceType". */
  readonly shape: string;
  /** Resource word in "The requested resource <resource>/<type> is not available in this region". */
  readonly resource: string;
  /** The enum, in the model's order (may include non-ml values such as "system"). */
  readonly values: readonly string[];
}

export interface RegionInfo {
  readonly multiplier: number;
  readonly note: string;
}

export interface Catalog {
  readonly _generated: string;
  readonly asOf: string;
  readonly regions: Readonly<Record<string, RegionInfo>>;
  readonly sources: Readonly<Record<string, string>>;
  readonly workloads: Readonly<Record<Workload, WorkloadEnum>>;
  readonly instanceTypes: readonly InstanceTypeInfo[];
}
