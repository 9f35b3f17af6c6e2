import type { Database } from 'better-sqlite3';
import type { MetadataStore } from './metadata-store.js';
import { groupBySeries, rowToBucket, rowToSeries, type MetricBucketRow, type MetricDatum, type MetricSeriesRow } from './metric-rows.js';
import { planMetricSeries, planMetricStatistics } from './metric-sql.js';
import { statementCache } from './sqlite-resources.js';

type MetricMethods = Pick<MetadataStore, 'putMetricData' | 'getMetricStatistics' | 'listMetricSeries' | 'pruneMetricData'>;

/** CloudWatch metric data on better-sqlite3: one transaction per batch. */
export function sqliteMetricMethods(db: Database): MetricMethods {
  const stmt = statementCache(db);
  const put = db.transaction((data: readonly MetricDatum[]) => {
    for (const g of groupBySeries(data).values()) {
      const { id } = stmt(
        `INSERT INTO metric_series (namespace, metric_name, dimensions, last_timestamp) VALUES (?, ?, ?, ?)
         ON CONFLICT (namespace, metric_name, dimensions) DO UPDATE SET last_timestamp = max(last_timestamp, excluded.last_timestamp) RETURNING id`,
      ).get(g.namespace, g.metricName, g.dims, g.last) as { id: number };
      for (const dim of g.dimensions) {
        stmt('INSERT INTO metric_dimensions (series_id, name, value) VALUES (?, ?, ?) ON CONFLICT (series_id, name) DO NOTHING').run(id, dim.name, dim.value);
      }
      const insert = stmt('INSERT INTO metric_points (series_id, timestamp, unit, sample_count, value_sum, value_min, value_max) VALUES (?, ?, ?, ?, ?, ?, ?)');
      for (const p of g.points) insert.run(id, p.timestamp, p.unit, p.sampleCount, p.sum, p.min, p.max);
    }
  });
  const prune = db.transaction((before: number) => {
    const n = stmt('DELETE FROM metric_points WHERE timestamp < ?').run(before).changes;
    stmt('DELETE FROM metric_series WHERE last_timestamp < ?').run(before);
    return n;
  });
  return {
    async putMetricData(data) {
      if (data.length > 0) put.immediate(data);
    },
    async getMetricStatistics(q) {
      const { sql, params } = planMetricStatistics('sqlite', q);
      return (stmt(sql).all(...params) as MetricBucketRow[]).map((r) => rowToBucket(q, r));
    },
    async listMetricSeries(q) {
      const { sql, params } = planMetricSeries(q);
      return (stmt(sql).all(...params) as MetricSeriesRow[]).map(rowToSeries);
    },
    async pruneMetricData(before) {
      return prune.immediate(before);
    },
  };
}
