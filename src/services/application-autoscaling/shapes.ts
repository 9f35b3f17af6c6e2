/**
 * Application Auto Scaling resources as Clary stores them (MetadataStore resources). Only
 * SageMaker endpoint variants scale: namespace `sagemaker`, ResourceId
 * `endpoint/<endpoint>/variant/<variant>`, dimension `sagemaker:variant:DesiredInstanceCount`.
 */
export const TARGET_KIND = 'aas-scalable-target';
export const POLICY_KIND = 'aas-scaling-policy';
export const ACTIVITY_KIND = 'aas-scaling-activity';
export const SAGEMAKER_DIMENSION = 'sagemaker:variant:DesiredInstanceCount';

export interface SuspendedState {
  DynamicScalingInSuspended?: boolean;
  DynamicScalingOutSuspended?: boolean;
  ScheduledScalingSuspended?: boolean;
}

export interface ScalableTargetDoc {
  ServiceNamespace: 'sagemaker';
  ResourceId: string;
  ScalableDimension: string;
  MinCapacity: number;
  MaxCapacity: number;
  RoleARN: string;
  CreationTime: number;
  ScalableTargetARN: string;
  SuspendedState: SuspendedState;
  /** The autoscaler's memory (never on the wire): when it last scaled each way, epoch ms. */
  _clary?: { lastScaleOutAt?: number; lastScaleInAt?: number };
}

export interface MetricDimension {
  Name: string;
  Value: string;
}

export interface TargetTrackingConfiguration {
  TargetValue: number;
  PredefinedMetricSpecification?: { PredefinedMetricType: string; ResourceLabel?: string };
  CustomizedMetricSpecification?: { MetricName?: string; Namespace?: string; Dimensions?: MetricDimension[]; Statistic?: string; Unit?: string; Metrics?: unknown[] };
  ScaleOutCooldown?: number;
  ScaleInCooldown?: number;
  DisableScaleIn?: boolean;
}

export interface ScalingPolicyDoc {
  PolicyARN: string;
  PolicyName: string;
  ServiceNamespace: 'sagemaker';
  ResourceId: string;
  ScalableDimension: string;
  PolicyType: 'TargetTrackingScaling';
  TargetTrackingScalingPolicyConfiguration: TargetTrackingConfiguration;
  Alarms: { AlarmName: string; AlarmARN: string }[];
  CreationTime: number;
}

export interface ScalingActivityDoc {
  ActivityId: string;
  ServiceNamespace: 'sagemaker';
  ResourceId: string;
  ScalableDimension: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: 'Pending' | 'InProgress' | 'Successful' | 'Overridden' | 'Unfulfilled' | 'Failed';
  StatusMessage?: string;
  Details?: string;
  NotScaledReasons?: { Code: string; MaxCapacity?: number; MinCapacity?: number; CurrentCapacity?: number }[];
}

/** Store id of a target: one per (resource, dimension) in the sagemaker namespace. */
export const targetId = (resourceId: string, dimension: string): string => `sagemaker|${resourceId}|${dimension}`;
export const policyId = (tid: string, policyName: string): string => `${tid}|${policyName}`;

/** Wire shape of a target (dates as Dates, Clary's memory dropped). */
export function targetOut(d: ScalableTargetDoc): Record<string, unknown> {
  const { _clary, CreationTime, ...rest } = d;
  void _clary;
  return { ...rest, CreationTime: new Date(CreationTime) };
}
