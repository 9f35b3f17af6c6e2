import { validation } from './errors.js';
import type { TargetTrackingConfiguration } from './shapes.js';

/** The predefined metric Clary computes for endpoint variants (from its AWS/SageMaker InvocationsPerInstance). */
export const INVOCATIONS_PER_INSTANCE = 'SageMakerVariantInvocationsPerInstance';

/** AAS's TargetValue range. */
const MIN_TARGET = 8.515920e-109;
const MAX_TARGET = 1.174271e108;

/**
 * Checks a target-tracking configuration for a SageMaker variant: exactly one metric
 * specification, SageMakerVariantInvocationsPerInstance or a customized single metric (no
 * metric math), a positive TargetValue and non-negative cooldowns.
 */
export function checkTargetTracking(c: TargetTrackingConfiguration | undefined): TargetTrackingConfiguration {
  if (!c) throw validation('TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling.');
  if (!Number.isFinite(c.TargetValue) || c.TargetValue < MIN_TARGET || c.TargetValue > MAX_TARGET) {
    throw validation(`TargetValue must be between ${MIN_TARGET} and ${MAX_TARGET} (got ${c.TargetValue}).`);
  }
  for (const k of ['ScaleOutCooldown', 'ScaleInCooldown'] as const) {
    const v = c[k];
    if (v !== undefined && (v < 0 || v > 31_536_000)) throw validation(`${k} must be between 0 and 31536000 seconds (got ${v}).`);
  }
  const pre = c.PredefinedMetricSpecification;
  const custom = c.CustomizedMetricSpecification;
  if ((pre === undefined) === (custom === undefined)) {
    throw validation('Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified.');
  }
  if (pre) {
    if (pre.PredefinedMetricType !== INVOCATIONS_PER_INSTANCE) {
      throw validation(
        `Unsupported predefined metric type ${pre.PredefinedMetricType} for service namespace sagemaker: Clary computes ${INVOCATIONS_PER_INSTANCE}; use it or a CustomizedMetricSpecification.`,
      );
    }
    if (pre.ResourceLabel !== undefined) throw validation(`ResourceLabel is not allowed with predefined metric type ${INVOCATIONS_PER_INSTANCE}.`);
  }
  if (custom) {
    if (custom.Metrics !== undefined) {
      throw validation('Clary does not evaluate metric math in target tracking: specify Namespace, MetricName, Dimensions and Statistic of one metric instead of Metrics.');
    }
    for (const k of ['Namespace', 'MetricName', 'Statistic'] as const) {
      if (custom[k] === undefined) throw validation(`CustomizedMetricSpecification.${k} is required.`);
    }
    if ((custom.Dimensions ?? []).some((d) => !d)) throw validation('CustomizedMetricSpecification.Dimensions must not contain null members.');
  }
  const out: TargetTrackingConfiguration = { TargetValue: c.TargetValue };
  if (pre) out.PredefinedMetricSpecification = { PredefinedMetricType: pre.PredefinedMetricType };
  if (custom) {
    out.CustomizedMetricSpecification = {
      MetricName: custom.MetricName,
      Namespace: custom.Namespace,
      Statistic: custom.Statistic,
      ...(custom.Dimensions ? { Dimensions: custom.Dimensions.map((d) => ({ Name: d.Name, Value: d.Value })) } : {}),
      ...(custom.Unit !== undefined ? { Unit: custom.Unit } : {}),
    };
  }
  if (c.ScaleOutCooldown !== undefined) out.ScaleOutCooldown = c.ScaleOutCooldown;
  if (c.ScaleInCooldown !== undefined) out.ScaleInCooldown = c.ScaleInCooldown;
  if (c.DisableScaleIn !== undefined) out.DisableScaleIn = c.DisableScaleIn;
  return out;
}
