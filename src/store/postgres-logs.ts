import type { Pool, PoolClient } from 'pg';
import { rowToLogEvent, rowToLogGroup, rowToLogStream, type LogEventRow, type LogGroupRow, type LogStreamRow } from './log-rows.js';
import { batchSummary, logStreamNotFound, planLogEvents, planLogGroups, planLogStreams } from './log-sql.js';
import { numberPlaceholders } from './list-resources-sql.js';
import type { MetadataStore } from './metadata-store.js';
import { withTransaction } from './postgres-pool.js';
import { assertEpochMs } from './resource-rows.js';

type LogMethods = Pick<
  MetadataStore,
  'ensureLogGroup' | 'ensureLogStream' | 'putLogEvents' | 'listLogGroups' | 'getLogGroup' | 'listLogStreams' | 'getLogStream' | 'queryLogEvents'
>;

const ensureGroup = async (db: Pool | PoolClient, name: string, createdAt: number) => {
  assertEpochMs('createdAt', createdAt);
  await db.query('INSERT INTO log_groups (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, createdAt]);
};

/**
 * CloudWatch Logs data on a pg Pool. putLogEvents first updates the group row, which holds that
 * row's lock until commit: writes to one group are serialised, so within a group seq order is
 * commit order and a reader paging by afterSeq never misses an event committed late.
 */
export function postgresLogMethods(pool: Pool): LogMethods {
  const all = async <R extends object>(plan: { sql: string; params: unknown[] }) =>
    (await pool.query<R & Record<string, unknown>>(numberPlaceholders(plan.sql), plan.params)).rows;
  return {
    async ensureLogGroup(name, createdAt) {
      await ensureGroup(pool, name, createdAt);
    },
    async ensureLogStream(group, stream, createdAt) {
      await withTransaction(pool, async (c) => {
        await ensureGroup(c, group, createdAt);
        await c.query('INSERT INTO log_streams (group_name, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (group_name, name) DO NOTHING', [
          group,
          stream,
          createdAt,
        ]);
      });
    },
    async putLogEvents(group, stream, events) {
      if (events.length === 0) return;
      const { bytes, min, max } = batchSummary(events);
      const now = Date.now();
      await withTransaction(pool, async (c) => {
        await c.query('UPDATE log_groups SET stored_bytes = stored_bytes + $1 WHERE name = $2', [bytes, group]);
        const changed = await c.query(
          `UPDATE log_streams SET first_event_timestamp = LEAST(first_event_timestamp, $1), last_event_timestamp = GREATEST(last_event_timestamp, $2),
             last_ingestion_time = $3, stored_bytes = stored_bytes + $4
           WHERE group_name = $5 AND name = $6`,
          [min, max, now, bytes, group, stream],
        );
        if (!changed.rowCount) throw logStreamNotFound();
        await c.query(
          `INSERT INTO log_events (group_name, stream_name, timestamp, ingestion_time, message)
           SELECT $1, $2, t, $3, m FROM unnest($4::bigint[], $5::text[]) WITH ORDINALITY AS u(t, m, o) ORDER BY o`,
          [group, stream, now, events.map((e) => e.timestamp), events.map((e) => e.message)],
        );
      });
    },
    async listLogGroups(opts) {
      return (await all<LogGroupRow>(planLogGroups('postgres', opts))).map(rowToLogGroup);
    },
    async getLogGroup(name) {
      const rows = await all<LogGroupRow>({ sql: 'SELECT name, created_at, retention_in_days, stored_bytes FROM log_groups WHERE name = ?', params: [name] });
      return rows[0] ? rowToLogGroup(rows[0]) : undefined;
    },
    async listLogStreams(opts) {
      return (await all<LogStreamRow>(planLogStreams('postgres', opts))).map(rowToLogStream);
    },
    async getLogStream(group, stream) {
      const rows = await all<LogStreamRow>({ sql: 'SELECT * FROM log_streams WHERE group_name = ? AND name = ?', params: [group, stream] });
      return rows[0] ? rowToLogStream(rows[0]) : undefined;
    },
    async queryLogEvents(query) {
      return (await all<LogEventRow>(planLogEvents('postgres', query))).map(rowToLogEvent);
    },
  };
}
