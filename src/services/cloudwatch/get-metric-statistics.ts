import type { OperationHandler } from '../service.js';
import { invalidParameterCombination, invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { toDimensions, type Dimension } from './shapes.js';
import { alignStart, checkPeriod, extendedStatisticsUnsupported, statisticOf, type Statistic } from './statistics.js';

/** CloudWatch answers at most this many datapoints per call. */
export const MAX_DATAPOINTS = 1440;

interface Input {
  Namespace: string;
  MetricName: string;
  Dimensions?: Dimension[];
  StartTime: Date;
  EndTime: Date;
  Period: number;
  Statistics?: Statistic[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

export function checkTimeRange(start: Date, end: Date): void {
  if (!Number.isFinite(start.getTime())) throw invalidValue(start, 'StartTime');
  if (!Number.isFinite(end.getTime())) throw invalidValue(end, 'EndTime');
  if (start.getTime() >= end.getTime()) throw invalidParameterValue('The parameter StartTime must be less than the parameter EndTime.');
}

export const getMetricStatistics: OperationHandler<Input, object> = async (input, ctx) => {
  if (input.ExtendedStatistics !== undefined) throw extendedStatisticsUnsupported();
  const stats = input.Statistics ?? [];
  if (stats.length === 0) throw missingParameter('The parameter Statistics or ExtendedStatistics must be specified.');
  checkPeriod(input.Period, 'Period');
  checkTimeRange(input.StartTime, input.EndTime);
  if ((input.Dimensions ?? []).some((d) => !d)) throw invalidValue(null, 'Dimensions');
  const periodMs = input.Period * 1000;
  const start = alignStart(input.StartTime.getTime(), input.Period);
  const end = input.EndTime.getTime();
  const requested = Math.ceil((end - start) / periodMs);
  if (requested > MAX_DATAPOINTS) {
    throw invalidParameterCombination(
      `You have requested up to ${requested.toLocaleString('en-US')} datapoints, which exceeds the limit of ${MAX_DATAPOINTS.toLocaleString('en-US')}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }
  const buckets = await ctx.platform.store.getMetricStatistics({
    namespace: input.Namespace,
    metricName: input.MetricName,
    dimensions: toDimensions(input.Dimensions),
    startTime: start,
    endTime: end,
    periodMs,
    unit: input.Unit,
  });
  const unique = [...new Set(stats)];
  return {
    Label: input.MetricName,
    Datapoints: buckets.map((b) => {
      const dp: Record<string, unknown> = { Timestamp: new Date(b.timestamp), Unit: b.unit };
      for (const s of unique) dp[s] = statisticOf(b, s);
      return dp;
    }),
  };
};
