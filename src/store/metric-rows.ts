/**
 * CloudWatch metric data as the store sees it (docs/metrics.md). Every datapoint is a statistic
 * set; single values are sets of one. Timestamps are epoch milliseconds; dimensions are kept
 * sorted by name (code point) so a series has one canonical key.
 */
export interface MetricDimension {
  readonly name: string;
  readonly value: string;
}

export interface MetricDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: readonly MetricDimension[];
  readonly timestamp: number;
  /** CloudWatch's StandardUnit; 'None' when not given. */
  readonly unit: string;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export interface MetricSeries {
  /** Store-assigned, increasing: ListMetrics pages by it. */
  readonly id: number;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: MetricDimension[];
  /** Newest datapoint's timestamp. */
  readonly lastTimestamp: number;
}

export interface MetricStatisticsQuery {
  readonly namespace: string;
  readonly metricName: string;
  /** Exact match: the series has these dimensions and no others. */
  readonly dimensions: readonly MetricDimension[];
  /** Inclusive; also where the first period starts. */
  readonly startTime: number;
  /** Exclusive. */
  readonly endTime: number;
  readonly periodMs: number;
  /** Only datapoints published with this unit. */
  readonly unit?: string;
}

/** One period's aggregate (per unit). */
export interface MetricBucket {
  readonly timestamp: number;
  readonly unit: string;
  readonly sampleCount: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

export interface MetricSeriesQuery {
  readonly namespace?: string;
  readonly metricName?: string;
  /** Series that have every one of these dimensions (with this value when one is given). */
  readonly dimensions?: readonly { readonly name: string; readonly value?: string }[];
  /** Series with a datapoint at or after this time. */
  readonly activeSince?: number;
  /** Exclusive: the last id of the previous page. */
  readonly afterId?: number;
  readonly limit: number;
}

/** The canonical series key: dimensions sorted by name, as JSON pairs. */
export function canonicalDimensions(dimensions: readonly MetricDimension[]): string {
  const sorted = [...dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return JSON.stringify(sorted.map((d) => [d.name, d.value]));
}

export function parseDimensions(text: string): MetricDimension[] {
  return (JSON.parse(text) as [string, string][]).map(([name, value]) => ({ name, value }));
}

type Num = number | string;
export interface MetricSeriesRow { id: Num; namespace: string; metric_name: string; dimensions: string; last_timestamp: Num }
export interface MetricBucketRow { bucket: Num; unit: string; sample_count: Num; value_sum: Num; value_min: Num; value_max: Num }

export const rowToSeries = (r: MetricSeriesRow): MetricSeries => ({
  id: Number(r.id),
  namespace: r.namespace,
  metricName: r.metric_name,
  dimensions: parseDimensions(r.dimensions),
  lastTimestamp: Number(r.last_timestamp),
});

export const rowToBucket = (q: MetricStatisticsQuery, r: MetricBucketRow): MetricBucket => ({
  timestamp: q.startTime + Number(r.bucket) * q.periodMs,
  unit: r.unit,
  sampleCount: Number(r.sample_count),
  sum: Number(r.value_sum),
  min: Number(r.value_min),
  max: Number(r.value_max),
});

/** Groups a batch by series so each series is upserted once. */
export function groupBySeries(data: readonly MetricDatum[]): Map<string, { namespace: string; metricName: string; dims: string; dimensions: readonly MetricDimension[]; points: MetricDatum[]; last: number }> {
  const groups = new Map<string, { namespace: string; metricName: string; dims: string; dimensions: readonly MetricDimension[]; points: MetricDatum[]; last: number }>();
  for (const d of data) {
    if (!Number.isSafeInteger(d.timestamp)) throw new TypeError(`metric timestamp must be an integer of epoch ms (got ${d.timestamp})`);
    const dims = canonicalDimensions(d.dimensions);
    const key = JSON.stringify([d.namespace, d.metricName, dims]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { namespace: d.namespace, metricName: d.metricName, dims, dimensions: d.dimensions, points: [], last: d.timestamp }));
    g.points.push(d);
    if (d.timestamp > g.last) g.last = d.timestamp;
  }
  return groups;
}
