import type { MetadataStore } from '../../store/metadata-store.js';
import type { TargetTrackingConfiguration } from '../../services/application-autoscaling/shapes.js';

export interface MetricWindow {
  readonly now: number;
  /** Length of one metric period (AWS: 60 s). */
  readonly periodMs: number;
  /** How many complete periods, ending at the last period boundary, are evaluated. */
  readonly periods: number;
}

/** Which metric a policy tracks, and with which statistic. */
export function policyMetricSpec(c: TargetTrackingConfiguration, endpoint: string, variant: string) {
  if (c.PredefinedMetricSpecification) {
    // SageMakerVariantInvocationsPerInstance: Sum of AWS/SageMaker InvocationsPerInstance per minute.
    return {
      namespace: 'AWS/SageMaker',
      metricName: 'InvocationsPerInstance',
      dimensions: [
        { name: 'EndpointName', value: endpoint },
        { name: 'VariantName', value: variant },
      ],
      statistic: 'Sum',
      unit: undefined as string | undefined,
    };
  }
  const m = c.CustomizedMetricSpecification!;
  return {
    namespace: m.Namespace!,
    metricName: m.MetricName!,
    dimensions: (m.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
    statistic: m.Statistic!,
    unit: m.Unit,
  };
}

/**
 * The policy's metric over the window's complete periods: Sum and SampleCount per minute
 * (averaged over the periods, so a target means the same whatever the period), Average over every
 * sample, Minimum / Maximum over the window. Undefined when the window has no datapoint.
 */
export async function evaluatePolicyMetric(store: MetadataStore, c: TargetTrackingConfiguration, endpoint: string, variant: string, w: MetricWindow): Promise<number | undefined> {
  const spec = policyMetricSpec(c, endpoint, variant);
  const end = Math.floor(w.now / w.periodMs) * w.periodMs;
  const start = end - w.periods * w.periodMs;
  const buckets = await store.getMetricStatistics({ namespace: spec.namespace, metricName: spec.metricName, dimensions: spec.dimensions, startTime: start, endTime: end, periodMs: w.periodMs, unit: spec.unit });
  if (buckets.length === 0) return undefined;
  const perMinute = 60_000 / (w.periods * w.periodMs);
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  for (const b of buckets) {
    n += b.sampleCount;
    sum += b.sum;
    min = Math.min(min, b.min);
    max = Math.max(max, b.max);
  }
  switch (spec.statistic) {
    case 'Sum':
      return sum * perMinute;
    case 'SampleCount':
      return n * perMinute;
    case 'Average':
      return n > 0 ? sum / n : undefined;
    case 'Minimum':
      return min;
    case 'Maximum':
      return max;
    default:
      return undefined;
  }
}
