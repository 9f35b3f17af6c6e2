import type { OperationHandler } from '../service.js';
import { invalidParameterCombination, invalidParameterValue, invalidValue, missingParameter } from './errors.js';
import { checkTimeRange } from './get-metric-statistics.js';
import { toDimensions, type MetricDataQueryInput } from './shapes.js';
import { alignStart, checkPeriod, parseStat, statisticOf } from './statistics.js';
import { decodeDataToken, encodeDataToken, requestDigest } from './tokens.js';

const MAX_QUERIES = 500;
const DEFAULT_MAX_DATAPOINTS = 100_800;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

interface Input {
  MetricDataQueries: MetricDataQueryInput[];
  StartTime: Date;
  EndTime: Date;
  NextToken?: string;
  ScanBy?: 'TimestampDescending' | 'TimestampAscending';
  MaxDatapoints?: number;
  LabelOptions?: unknown;
}

interface Series {
  id: string;
  label: string;
  points: { t: number; v: number }[];
}

function checkQueries(queries: readonly MetricDataQueryInput[]): void {
  if (queries.length === 0) throw missingParameter('The parameter MetricDataQueries must contain at least one query.');
  if (queries.length > MAX_QUERIES) throw invalidParameterValue(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    const p = `MetricDataQueries.member.${i + 1}`;
    if (!q) throw invalidValue(null, p);
    if (!ID.test(q.Id)) throw invalidParameterValue(`The value ${q.Id} for parameter ${p}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    if (ids.has(q.Id)) throw invalidParameterValue(`The value ${q.Id} for parameter ${p}.Id is used by more than one query.`);
    ids.add(q.Id);
    if (q.Expression !== undefined && q.MetricStat !== undefined) {
      throw invalidParameterCombination(`The parameters ${p}.MetricStat and ${p}.Expression are mutually exclusive and you have specified both.`);
    }
    if (q.Expression !== undefined) {
      throw invalidParameterValue(
        `Clary does not evaluate metric math: ${p}.Expression ("${q.Expression.slice(0, 100)}") is not supported. Query each metric with MetricStat instead.`,
      );
    }
    if (q.MetricStat === undefined) throw missingParameter(`One of the parameters ${p}.MetricStat or ${p}.Expression must be specified.`);
    const m = q.MetricStat.Metric;
    if (m.Namespace === undefined) throw missingParameter(`The parameter ${p}.MetricStat.Metric.Namespace is required.`);
    if (m.MetricName === undefined) throw missingParameter(`The parameter ${p}.MetricStat.Metric.MetricName is required.`);
    if ((m.Dimensions ?? []).some((d) => !d)) throw invalidValue(null, `${p}.MetricStat.Metric.Dimensions`);
    checkPeriod(q.MetricStat.Period, `${p}.MetricStat.Period`);
    parseStat(q.MetricStat.Stat, `${p}.MetricStat.Stat`);
  });
}

/**
 * GetMetricData with MetricStat queries (no metric math). Every page recomputes the request and
 * returns the next MaxDatapoints datapoints in query order; the NextToken is the offset reached.
 */
export const getMetricData: OperationHandler<Input, object> = async (input, ctx) => {
  checkTimeRange(input.StartTime, input.EndTime);
  checkQueries(input.MetricDataQueries);
  const scanBy = input.ScanBy ?? 'TimestampDescending';
  const max = input.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (max < 1) throw invalidValue(max, 'MaxDatapoints');
  const digest = requestDigest([input.MetricDataQueries, input.StartTime.getTime(), input.EndTime.getTime(), scanBy, max]);
  const first = decodeDataToken(input.NextToken, digest);
  let offset = first;

  const series: Series[] = [];
  for (const q of input.MetricDataQueries) {
    if (q.ReturnData === false) continue;
    const ms = q.MetricStat!;
    const stat = parseStat(ms.Stat, 'Stat');
    const start = alignStart(input.StartTime.getTime(), ms.Period);
    const buckets = await ctx.platform.store.getMetricStatistics({
      namespace: ms.Metric.Namespace!,
      metricName: ms.Metric.MetricName!,
      dimensions: toDimensions(ms.Metric.Dimensions),
      startTime: start,
      endTime: input.EndTime.getTime(),
      periodMs: ms.Period * 1000,
      unit: ms.Unit,
    });
    // Several units in one period fold into one value per timestamp.
    const byTime = new Map<number, { sampleCount: number; sum: number; min: number; max: number }>();
    for (const b of buckets) {
      const a = byTime.get(b.timestamp);
      if (!a) byTime.set(b.timestamp, { sampleCount: b.sampleCount, sum: b.sum, min: b.min, max: b.max });
      else Object.assign(a, { sampleCount: a.sampleCount + b.sampleCount, sum: a.sum + b.sum, min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) });
    }
    const points = [...byTime].map(([t, a]) => ({ t, v: statisticOf(a, stat) })).sort((x, y) => (scanBy === 'TimestampAscending' ? x.t - y.t : y.t - x.t));
    series.push({ id: q.Id, label: q.Label ?? ms.Metric.MetricName!, points });
  }

  let budget = max;
  const total = series.reduce((n, s) => n + s.points.length, 0);
  const results = series.map((s) => {
    const skip = Math.min(offset, s.points.length);
    offset -= skip;
    const page = s.points.slice(skip, skip + budget);
    budget -= page.length;
    return {
      Id: s.id,
      Label: s.label,
      Timestamps: page.map((p) => new Date(p.t)),
      Values: page.map((p) => p.v),
      StatusCode: skip + page.length < s.points.length ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  const reached = first + (max - budget);
  return {
    MetricDataResults: results,
    Messages: [],
    ...(reached < total ? { NextToken: encodeDataToken(reached, digest) } : {}),
  };
};
