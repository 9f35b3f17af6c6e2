import type { LogEvent, LogGroup, LogStream } from './metadata-store.js';

type Num = number | string;
type NullableNum = Num | null;

export interface LogGroupRow { name: string; created_at: Num; retention_in_days: NullableNum; stored_bytes: Num }
export interface LogStreamRow {
  group_name: string;
  name: string;
  created_at: Num;
  first_event_timestamp: NullableNum;
  last_event_timestamp: NullableNum;
  last_ingestion_time: NullableNum;
  stored_bytes: Num;
}
export interface LogEventRow { seq: Num; stream_name: string; timestamp: Num; ingestion_time: Num; message: string }

const num = (v: NullableNum): number | null => (v === null ? null : Number(v));

export const rowToLogGroup = (r: LogGroupRow): LogGroup => ({
  name: r.name,
  createdAt: Number(r.created_at),
  retentionInDays: num(r.retention_in_days),
  storedBytes: Number(r.stored_bytes),
});

export const rowToLogStream = (r: LogStreamRow): LogStream => ({
  group: r.group_name,
  name: r.name,
  createdAt: Number(r.created_at),
  firstEventTimestamp: num(r.first_event_timestamp),
  lastEventTimestamp: num(r.last_event_timestamp),
  lastIngestionTime: num(r.last_ingestion_time),
  storedBytes: Number(r.stored_bytes),
});

export const rowToLogEvent = (r: LogEventRow): LogEvent => ({
  seq: Number(r.seq),
  stream: r.stream_name,
  timestamp: Number(r.timestamp),
  ingestionTime: Number(r.ingestion_time),
  message: r.message,
});

/** Bytes an event counts for in storedBytes: its UTF-8 message plus 26, as CloudWatch sizes a batch. */
export const eventBytes = (message: string): number => Buffer.byteLength(message, 'utf8') + 26;
