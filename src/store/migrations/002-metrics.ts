import type { Migration } from './migration.js';

/*
 * CloudWatch metrics (docs/metrics.md). A series is (namespace, metric name, dimensions) with the
 * dimensions as canonical text (sorted by name, JSON) so one unique index finds it; its
 * dimensions are also rows of metric_dimensions for ListMetrics' filters. Each datapoint is a
 * statistic set (sample count, sum, minimum, maximum) at an epoch-ms timestamp: PutMetricData's
 * Values/Counts and StatisticValues and the in-process recorder's per-second/minute aggregates
 * all land as such. Queries read (series_id, timestamp) ranges; retention deletes by timestamp.
 */
const sqlite = `
CREATE TABLE metric_series (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace TEXT NOT NULL,
  metric_name TEXT NOT NULL,
  dimensions TEXT NOT NULL,
  last_timestamp INTEGER NOT NULL,
  UNIQUE (namespace, metric_name, dimensions)
);
CREATE INDEX metric_series_by_name ON metric_series (metric_name, id);
CREATE TABLE metric_dimensions (
  series_id INTEGER NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (series_id, name)
);
CREATE INDEX metric_dimensions_by_name_value ON metric_dimensions (name, value, series_id);
CREATE TABLE metric_points (
  series_id INTEGER NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
  timestamp INTEGER NOT NULL,
  unit TEXT NOT NULL,
  sample_count REAL NOT NULL,
  value_sum REAL NOT NULL,
  value_min REAL NOT NULL,
  value_max REAL NOT NULL
);
CREATE INDEX metric_points_by_series_time ON metric_points (series_id, timestamp);
CREATE INDEX metric_points_by_time ON metric_points (timestamp);
`;

const postgres = `
CREATE TABLE metric_series (
  id BIGSERIAL PRIMARY KEY,
  namespace TEXT COLLATE "C" NOT NULL,
  metric_name TEXT COLLATE "C" NOT NULL,
  dimensions TEXT COLLATE "C" NOT NULL,
  last_timestamp BIGINT NOT NULL,
  UNIQUE (namespace, metric_name, dimensions)
);
CREATE INDEX metric_series_by_name ON metric_series (metric_name, id);
CREATE TABLE metric_dimensions (
  series_id BIGINT NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (series_id, name)
);
CREATE INDEX metric_dimensions_by_name_value ON metric_dimensions (name, value, series_id);
CREATE TABLE metric_points (
  series_id BIGINT NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
  timestamp BIGINT NOT NULL,
  unit TEXT COLLATE "C" NOT NULL,
  sample_count DOUBLE PRECISION NOT NULL,
  value_sum DOUBLE PRECISION NOT NULL,
  value_min DOUBLE PRECISION NOT NULL,
  value_max DOUBLE PRECISION NOT NULL
);
CREATE INDEX metric_points_by_series_time ON metric_points (series_id, timestamp);
CREATE INDEX metric_points_by_time ON metric_points (timestamp);
`;

export const metrics: Migration = { version: 2, name: 'metrics', sqlite, postgres };
