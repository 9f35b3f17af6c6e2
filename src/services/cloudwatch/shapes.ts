/** The CloudWatch input/output members the handlers use (inputs arrive validated against the model). */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricDatumInput {
  MetricName: string;
  Dimensions?: Dimension[];
  Timestamp?: Date;
  Value?: number;
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Values?: number[];
  Counts?: number[];
  Unit?: string;
  StorageResolution?: number;
}

export interface MetricInput {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
}

export interface MetricDataQueryInput {
  Id: string;
  MetricStat?: { Metric: MetricInput; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

export const toDimensions = (dims: readonly Dimension[] | undefined) => (dims ?? []).map((d) => ({ name: d.Name, value: d.Value }));
export const fromDimensions = (dims: readonly { name: string; value: string }[]): Dimension[] => dims.map((d) => ({ Name: d.name, Value: d.value }));
