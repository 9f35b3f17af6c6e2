import type { MetricBucket } from '../../store/metadata-store.js';
import { invalidParameterCombination, invalidParameterValue } from './errors.js';

export type Statistic = 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
export const STATISTICS: readonly Statistic[] = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];

/** A statistic's value over one period's aggregate. */
export function statisticOf(b: Pick<MetricBucket, 'sampleCount' | 'sum' | 'min' | 'max'>, stat: Statistic): number {
  switch (stat) {
    case 'SampleCount':
      return b.sampleCount;
    case 'Sum':
      return b.sum;
    case 'Minimum':
      return b.min;
    case 'Maximum':
      return b.max;
    case 'Average':
      return b.sampleCount > 0 ? b.sum / b.sampleCount : 0;
  }
}

/**
 * Clary keeps statistic sets, not individual values: percentiles and the other extended
 * statistics (p99, tm90, IQR, …) cannot be computed, and asking for them is an honest error.
 */
export function parseStat(stat: string, parameter: string): Statistic {
  if ((STATISTICS as readonly string[]).includes(stat)) return stat as Statistic;
  if (/^(p|tm|wm|tc|ts|pr)\(?[\d.:%]|^IQR$/i.test(stat)) {
    throw invalidParameterValue(
      `The value ${stat} for parameter ${parameter} is not supported by Clary: it keeps statistic sets, not individual values, so percentiles and other extended statistics are not available. Use SampleCount, Average, Sum, Minimum or Maximum.`,
    );
  }
  throw invalidParameterValue(`The value ${stat} for parameter ${parameter} is invalid.`);
}

export const extendedStatisticsUnsupported = () =>
  invalidParameterCombination(
    'Clary does not support ExtendedStatistics: it keeps statistic sets, not individual values, so percentiles are not available. Use Statistics (SampleCount, Average, Sum, Minimum, Maximum).',
  );

/** CloudWatch's periods: 1, 5, 10, 30 or a multiple of 60 seconds. */
export function checkPeriod(period: number, parameter: string): void {
  if (![1, 5, 10, 30].includes(period) && period % 60 !== 0) {
    throw invalidParameterValue(`The parameter ${parameter} must be 1, 5, 10, 30, or a multiple of 60.`);
  }
}

/** Where periods start: the start time rounded down to the period (or to the minute for periods of a minute or more), as CloudWatch rounds it. */
export function alignStart(startMs: number, periodSeconds: number): number {
  const unit = Math.min(periodSeconds, 60) * 1000;
  return Math.floor(startMs / unit) * unit;
}
