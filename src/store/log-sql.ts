import type { LogEventQuery } from './metadata-store.js';
import { ServiceError } from '../core/errors.js';
import { eventBytes } from './log-rows.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * Case-sensitive "starts with" on both dialects (SQLite's LIKE ignores ASCII case). SQLite
 * compares UTF-8 bytes: its length() and text functions stop at a U+0000, its blobs do not.
 */
const startsWith = (d: Dialect, col: string) => (d === 'sqlite' ? `substr(CAST(${col} AS BLOB), 1, ?) = ?` : `starts_with(${col}, ?)`);
const prefixParams = (d: Dialect, p: string) => {
  if (d === 'postgres') return [p];
  const bytes = Buffer.from(p, 'utf8');
  return [bytes.length, bytes];
};

/** SQL (with `?` placeholders) for LogEventQuery, ordered by seq. startTime inclusive, endTime exclusive. */
export function planLogEvents(d: Dialect, q: LogEventQuery): { sql: string; params: unknown[] } {
  const where = ['group_name = ?'];
  const params: unknown[] = [q.group];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (q.streams !== undefined) {
    if (q.streams.length === 0) where.push('1 = 0');
    else if (d === 'postgres') add('stream_name = ANY(?::text[])', [...q.streams]);
    else add(`stream_name IN (${q.streams.map(() => '?').join(', ')})`, ...q.streams);
  }
  if (q.streamPrefix) add(startsWith(d, 'stream_name'), ...prefixParams(d, q.streamPrefix));
  if (q.startTime !== undefined) add('timestamp >= ?', q.startTime);
  if (q.endTime !== undefined) add('timestamp < ?', q.endTime);
  for (const term of q.contains ?? []) {
    if (term !== '') add(d === 'sqlite' ? 'instr(message, ?) > 0' : 'strpos(message, ?) > 0', term);
  }
  if (q.afterSeq !== undefined) add('seq > ?', q.afterSeq);
  if (q.beforeSeq !== undefined) add('seq < ?', q.beforeSeq);
  const limit = Math.min(10_000, Math.max(1, Math.trunc(Number.isFinite(q.limit) ? q.limit : 10_000)));
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  return {
    sql: `SELECT seq, stream_name, timestamp, ingestion_time, message FROM log_events WHERE ${where.join(' AND ')} ORDER BY seq ${dir} LIMIT ${limit}`,
    params,
  };
}

/** SQL for listLogGroups: by name, after an exclusive name, with an optional prefix. */
export function planLogGroups(d: Dialect, opts: { prefix?: string; after?: string; limit: number }): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.prefix) {
    where.push(startsWith(d, 'name'));
    params.push(...prefixParams(d, opts.prefix));
  }
  if (opts.after !== undefined) {
    where.push('name > ?');
    params.push(opts.after);
  }
  const limit = Math.min(10_000, Math.max(1, Math.trunc(opts.limit) || 50));
  return {
    sql: `SELECT name, created_at, retention_in_days, stored_bytes FROM log_groups ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY name LIMIT ${limit}`,
    params,
  };
}

/** SQL for listLogStreams (offset paging as the interface asks; NULL last-event times sort as the smallest). */
export function planLogStreams(
  d: Dialect,
  opts: { group: string; prefix?: string; orderBy: 'LogStreamName' | 'LastEventTime'; descending: boolean; offset: number; limit: number },
): { sql: string; params: unknown[] } {
  const where = ['group_name = ?'];
  const params: unknown[] = [opts.group];
  if (opts.prefix) {
    where.push(startsWith(d, 'name'));
    params.push(...prefixParams(d, opts.prefix));
  }
  const dir = opts.descending ? 'DESC' : 'ASC';
  const nulls = opts.descending ? 'NULLS LAST' : 'NULLS FIRST';
  const order = opts.orderBy === 'LastEventTime' ? `last_event_timestamp ${dir} ${nulls}, name ${dir}` : `name ${dir}`;
  const limit = Math.min(10_000, Math.max(1, Math.trunc(opts.limit) || 50));
  const offset = Math.max(0, Math.trunc(opts.offset) || 0);
  return {
    sql: `SELECT group_name, name, created_at, first_event_timestamp, last_event_timestamp, last_ingestion_time, stored_bytes FROM log_streams WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    params,
  };
}

/** CloudWatch Logs' own answer when a stream is missing. */
export const logStreamNotFound = () => new ServiceError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);

/** What a batch adds to a stream: its byte count and its time span. */
export function batchSummary(events: readonly { timestamp: number; message: string }[]): { bytes: number; min: number; max: number } {
  let bytes = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const e of events) {
    if (!Number.isSafeInteger(e.timestamp)) throw new TypeError(`log event timestamp must be an integer of epoch ms (got ${e.timestamp})`);
    bytes += eventBytes(e.message);
    if (e.timestamp < min) min = e.timestamp;
    if (e.timestamp > max) max = e.timestamp;
  }
  return { bytes, min, max };
}
