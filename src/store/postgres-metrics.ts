import type { Pool } from 'pg';
import { numberPlaceholders } from './list-resources-sql.js';
import type { MetadataStore } from './metadata-store.js';
import { groupBySeries, rowToBucket, rowToSeries, type MetricBucketRow, type MetricSeriesRow } from './metric-rows.js';
import { planMetricSeries, planMetricStatistics } from './metric-sql.js';
import { withTransaction } from './postgres-pool.js';

type MetricMethods = Pick<MetadataStore, 'putMetricData' | 'getMetricStatistics' | 'listMetricSeries' | 'pruneMetricData'>;

/** CloudWatch metric data on a pg Pool: one transaction per batch, points inserted with unnest. */
export function postgresMetricMethods(pool: Pool): MetricMethods {
  const all = async <R extends object>(plan: { sql: string; params: unknown[] }) =>
    (await pool.query<R & Record<string, unknown>>(numberPlaceholders(plan.sql), plan.params)).rows;
  return {
    async putMetricData(data) {
      if (data.length === 0) return;
      const groups = [...groupBySeries(data).values()];
      await withTransaction(pool, async (c) => {
        for (const g of groups) {
          const { rows } = await c.query<{ id: number }>(
            `INSERT INTO metric_series (namespace, metric_name, dimensions, last_timestamp) VALUES ($1, $2, $3, $4)
             ON CONFLICT (namespace, metric_name, dimensions) DO UPDATE SET last_timestamp = GREATEST(metric_series.last_timestamp, EXCLUDED.last_timestamp)
             RETURNING id`,
            [g.namespace, g.metricName, g.dims, g.last],
          );
          const id = rows[0]!.id;
          if (g.dimensions.length > 0) {
            await c.query(
              `INSERT INTO metric_dimensions (series_id, name, value) SELECT $1, n, v FROM unnest($2::text[], $3::text[]) AS u(n, v)
               ON CONFLICT (series_id, name) DO NOTHING`,
              [id, g.dimensions.map((d) => d.name), g.dimensions.map((d) => d.value)],
            );
          }
          await c.query(
            `INSERT INTO metric_points (series_id, timestamp, unit, sample_count, value_sum, value_min, value_max)
             SELECT $1, t, u, n, s, mi, ma FROM unnest($2::bigint[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::float8[]) AS x(t, u, n, s, mi, ma)`,
            [
              id,
              g.points.map((p) => p.timestamp),
              g.points.map((p) => p.unit),
              g.points.map((p) => p.sampleCount),
              g.points.map((p) => p.sum),
              g.points.map((p) => p.min),
              g.points.map((p) => p.max),
            ],
          );
        }
      });
    },
    async getMetricStatistics(q) {
      return (await all<MetricBucketRow>(planMetricStatistics('postgres', q))).map((r) => rowToBucket(q, r));
    },
    async listMetricSeries(q) {
      return (await all<MetricSeriesRow>(planMetricSeries(q))).map(rowToSeries);
    },
    async pruneMetricData(before) {
      return withTransaction(pool, async (c) => {
        const r = await c.query('DELETE FROM metric_points WHERE timestamp < $1', [before]);
        await c.query('DELETE FROM metric_series WHERE last_timestamp < $1', [before]);
        return r.rowCount ?? 0;
      });
    },
  };
}
