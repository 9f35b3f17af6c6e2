import type { Migration } from './migration.js';

/*
 * Resources: one row per (kind, id) with the columns lists filter and sort on. `status` holds ''
 * for "no status" so it can sit in composite indexes and compare like any string; `name_lower`
 * is the name lower-cased by Clary (same Unicode rules on both dialects) for NameContains.
 * Every list index ends in `id`, the tie-break of the keyset cursor.
 * In PostgreSQL every text key is COLLATE "C" so both dialects sort by code point.
 */
const sqlite = `
CREATE TABLE resources (
  kind TEXT NOT NULL,
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  arn TEXT NOT NULL,
  parent TEXT,
  status TEXT NOT NULL DEFAULT '',
  creation_time INTEGER NOT NULL,
  last_modified_time INTEGER NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX resources_by_creation ON resources (kind, creation_time, id);
CREATE INDEX resources_by_modified ON resources (kind, last_modified_time, id);
CREATE INDEX resources_by_name ON resources (kind, name, id);
CREATE INDEX resources_by_status ON resources (kind, status, id);
CREATE INDEX resources_by_status_creation ON resources (kind, status, creation_time, id);
CREATE INDEX resources_by_parent_creation ON resources (kind, parent, creation_time, id);

CREATE TABLE access_keys (
  access_key_id TEXT PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  principal_arn TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE log_groups (
  name TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  retention_in_days INTEGER,
  stored_bytes INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE log_streams (
  group_name TEXT NOT NULL REFERENCES log_groups (name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  first_event_timestamp INTEGER,
  last_event_timestamp INTEGER,
  last_ingestion_time INTEGER,
  stored_bytes INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (group_name, name)
);
CREATE INDEX log_streams_by_last_event ON log_streams (group_name, last_event_timestamp, name);
CREATE TABLE log_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  group_name TEXT NOT NULL,
  stream_name TEXT NOT NULL,
  timestamp INTEGER NOT NULL,
  ingestion_time INTEGER NOT NULL,
  message TEXT NOT NULL,
  FOREIGN KEY (group_name, stream_name) REFERENCES log_streams (group_name, name) ON DELETE CASCADE
);
CREATE INDEX log_events_by_stream_seq ON log_events (group_name, stream_name, seq);
CREATE INDEX log_events_by_stream_time ON log_events (group_name, stream_name, timestamp, seq);
CREATE INDEX log_events_by_group_seq ON log_events (group_name, seq);
`;

const postgres = `
CREATE TABLE resources (
  kind TEXT COLLATE "C" NOT NULL,
  id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL,
  name_lower TEXT COLLATE "C" NOT NULL,
  arn TEXT NOT NULL,
  parent TEXT COLLATE "C",
  status TEXT COLLATE "C" NOT NULL DEFAULT '',
  creation_time BIGINT NOT NULL,
  last_modified_time BIGINT NOT NULL,
  version INTEGER NOT NULL,
  doc JSONB NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX resources_by_creation ON resources (kind, creation_time, id);
CREATE INDEX resources_by_modified ON resources (kind, last_modified_time, id);
CREATE INDEX resources_by_name ON resources (kind, name, id);
CREATE INDEX resources_by_status ON resources (kind, status, id);
CREATE INDEX resources_by_status_creation ON resources (kind, status, creation_time, id);
CREATE INDEX resources_by_parent_creation ON resources (kind, parent, creation_time, id);

CREATE TABLE access_keys (
  access_key_id TEXT COLLATE "C" PRIMARY KEY,
  secret_access_key TEXT NOT NULL,
  principal_arn TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX access_keys_by_principal ON access_keys (principal_arn, created_at);

CREATE TABLE settings (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE log_groups (
  name TEXT COLLATE "C" PRIMARY KEY,
  created_at BIGINT NOT NULL,
  retention_in_days INTEGER,
  stored_bytes BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE log_streams (
  group_name TEXT COLLATE "C" NOT NULL REFERENCES log_groups (name) ON DELETE CASCADE,
  name TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  first_event_timestamp BIGINT,
  last_event_timestamp BIGINT,
  last_ingestion_time BIGINT,
  stored_bytes BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (group_name, name)
);
CREATE INDEX log_streams_by_last_event ON log_streams (group_name, last_event_timestamp, name);
CREATE TABLE log_events (
  seq BIGSERIAL PRIMARY KEY,
  group_name TEXT COLLATE "C" NOT NULL,
  stream_name TEXT COLLATE "C" NOT NULL,
  timestamp BIGINT NOT NULL,
  ingestion_time BIGINT NOT NULL,
  message TEXT NOT NULL,
  FOREIGN KEY (group_name, stream_name) REFERENCES log_streams (group_name, name) ON DELETE CASCADE
);
CREATE INDEX log_events_by_stream_seq ON log_events (group_name, stream_name, seq);
CREATE INDEX log_events_by_stream_time ON log_events (group_name, stream_name, timestamp, seq);
CREATE INDEX log_events_by_group_seq ON log_events (group_name, seq);
`;

export const initial: Migration = { version: 1, name: 'initial', sqlite, postgres };
