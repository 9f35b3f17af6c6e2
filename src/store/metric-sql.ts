import type { Dialect } from './log-sql.js';
import { canonicalDimensions, type MetricSeriesQuery, type MetricStatisticsQuery } from './metric-rows.js';

/**
 * SQL (with `?` placeholders) for metric queries on both dialects. Statistics group the series'
 * points in [start, end) into periods counted from start, per unit, reading the
 * (series_id, timestamp) index.
 */
export function planMetricStatistics(d: Dialect, q: MetricStatisticsQuery): { sql: string; params: unknown[] } {
  const bucket = d === 'postgres' ? '((p.timestamp - ?::bigint) / ?::bigint)' : 'CAST((p.timestamp - ?) / ? AS INTEGER)';
  const params: unknown[] = [q.startTime, q.periodMs, q.namespace, q.metricName, canonicalDimensions(q.dimensions), q.startTime, q.endTime];
  let unit = '';
  if (q.unit !== undefined) {
    unit = ' AND p.unit = ?';
    params.push(q.unit);
  }
  return {
    sql: `SELECT ${bucket} AS bucket, p.unit AS unit, SUM(p.sample_count) AS sample_count, SUM(p.value_sum) AS value_sum,
            MIN(p.value_min) AS value_min, MAX(p.value_max) AS value_max
          FROM metric_points p JOIN metric_series s ON s.id = p.series_id
          WHERE s.namespace = ? AND s.metric_name = ? AND s.dimensions = ? AND p.timestamp >= ? AND p.timestamp < ?${unit}
          GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  };
}

/** ListMetrics: series in id order, after an exclusive id, with namespace / name / dimension filters. */
export function planMetricSeries(q: MetricSeriesQuery): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (q.namespace !== undefined) add('s.namespace = ?', q.namespace);
  if (q.metricName !== undefined) add('s.metric_name = ?', q.metricName);
  if (q.activeSince !== undefined) add('s.last_timestamp >= ?', q.activeSince);
  if (q.afterId !== undefined) add('s.id > ?', q.afterId);
  for (const f of q.dimensions ?? []) {
    if (f.value === undefined) add('EXISTS (SELECT 1 FROM metric_dimensions d WHERE d.series_id = s.id AND d.name = ?)', f.name);
    else add('EXISTS (SELECT 1 FROM metric_dimensions d WHERE d.series_id = s.id AND d.name = ? AND d.value = ?)', f.name, f.value);
  }
  const limit = Math.min(10_000, Math.max(1, Math.trunc(q.limit) || 500));
  return {
    sql: `SELECT s.id, s.namespace, s.metric_name, s.dimensions, s.last_timestamp FROM metric_series s
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id LIMIT ${limit}`,
    params,
  };
}
