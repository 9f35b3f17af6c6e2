import type { Database } from 'better-sqlite3';
import { rowToLogEvent, rowToLogGroup, rowToLogStream, type LogEventRow, type LogGroupRow, type LogStreamRow } from './log-rows.js';
import { batchSummary, logStreamNotFound, planLogEvents, planLogGroups, planLogStreams } from './log-sql.js';
import type { MetadataStore } from './metadata-store.js';
import { assertEpochMs } from './resource-rows.js';
import { statementCache } from './sqlite-resources.js';

type LogMethods = Pick<
  MetadataStore,
  'ensureLogGroup' | 'ensureLogStream' | 'putLogEvents' | 'listLogGroups' | 'getLogGroup' | 'listLogStreams' | 'getLogStream' | 'queryLogEvents'
>;

/** CloudWatch Logs data on better-sqlite3. */
export function sqliteLogMethods(db: Database): LogMethods {
  const stmt = statementCache(db);
  const ensureGroup = (name: string, createdAt: number) => {
    assertEpochMs('createdAt', createdAt);
    stmt('INSERT INTO log_groups (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, createdAt);
  };
  const ensureStream = db.transaction((group: string, stream: string, createdAt: number) => {
    ensureGroup(group, createdAt);
    stmt('INSERT INTO log_streams (group_name, name, created_at) VALUES (?, ?, ?) ON CONFLICT (group_name, name) DO NOTHING').run(group, stream, createdAt);
  });
  const put = db.transaction((group: string, stream: string, events: readonly { timestamp: number; message: string }[]) => {
    const { bytes, min, max } = batchSummary(events);
    const now = Date.now();
    const changed = stmt(
      `UPDATE log_streams SET first_event_timestamp = min(coalesce(first_event_timestamp, ?), ?),
         last_event_timestamp = max(coalesce(last_event_timestamp, ?), ?), last_ingestion_time = ?, stored_bytes = stored_bytes + ?
       WHERE group_name = ? AND name = ?`,
    ).run(min, min, max, max, now, bytes, group, stream).changes;
    if (changed === 0) throw logStreamNotFound();
    stmt('UPDATE log_groups SET stored_bytes = stored_bytes + ? WHERE name = ?').run(bytes, group);
    const insert = stmt('INSERT INTO log_events (group_name, stream_name, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)');
    for (const e of events) insert.run(group, stream, e.timestamp, now, e.message);
  });

  return {
    async ensureLogGroup(name, createdAt) {
      ensureGroup(name, createdAt);
    },
    async ensureLogStream(group, stream, createdAt) {
      ensureStream(group, stream, createdAt);
    },
    async putLogEvents(group, stream, events) {
      if (events.length === 0) return;
      put.immediate(group, stream, events);
    },
    async listLogGroups(opts) {
      const { sql, params } = planLogGroups('sqlite', opts);
      return (stmt(sql).all(...params) as LogGroupRow[]).map(rowToLogGroup);
    },
    async getLogGroup(name) {
      const row = stmt('SELECT name, created_at, retention_in_days, stored_bytes FROM log_groups WHERE name = ?').get(name) as LogGroupRow | undefined;
      return row ? rowToLogGroup(row) : undefined;
    },
    async listLogStreams(opts) {
      const { sql, params } = planLogStreams('sqlite', opts);
      return (stmt(sql).all(...params) as LogStreamRow[]).map(rowToLogStream);
    },
    async getLogStream(group, stream) {
      const row = stmt('SELECT * FROM log_streams WHERE group_name = ? AND name = ?').get(group, stream) as LogStreamRow | undefined;
      return row ? rowToLogStream(row) : undefined;
    },
    async queryLogEvents(query) {
      const { sql, params } = planLogEvents('sqlite', query);
      return (stmt(sql).all(...params) as LogEventRow[]).map(rowToLogEvent);
    },
  };
}
