import type { MetricBucket, MetricDatum, MetricSeries, MetricSeriesQuery, MetricStatisticsQuery } from './metric-rows.js';

export type { MetricBucket, MetricDatum, MetricDimension, MetricSeries, MetricSeriesQuery, MetricStatisticsQuery } from './metric-rows.js';

/**
 * The metadata store: the single source of truth for every resource Clary knows about.
 * One interface, two implementations (SQLite by default, PostgreSQL with --database), one
 * contract test suite (metadata-store.contract.ts) that both pass.
 *
 * Resources are JSON documents keyed by (kind, id), with a few indexed columns that lists filter
 * and sort on. Timestamps are epoch milliseconds. Updates are optimistic: callers pass the version
 * they read, and a concurrent change makes the update fail with StaleVersionError.
 */
export interface ResourceRecord<T = unknown> {
  /** Resource family, e.g. "training-job", "endpoint", "domain", "user-profile". */
  readonly kind: string;
  /** Unique within the kind. For nested resources the parent is part of it ("d-abc/alice"). */
  readonly id: string;
  /** Display name used for NameContains filters and Name sorting (usually the last part of id). */
  readonly name: string;
  readonly arn: string;
  /** Optional grouping key, e.g. the domain id of a user profile. */
  readonly parent: string | null;
  readonly status: string | null;
  readonly creationTime: number;
  readonly lastModifiedTime: number;
  readonly version: number;
  readonly doc: T;
}

export type NewResource<T = unknown> = Omit<ResourceRecord<T>, 'version' | 'lastModifiedTime'> & {
  readonly lastModifiedTime?: number;
};

export interface ResourcePatch<T = unknown> {
  readonly doc?: T;
  readonly status?: string | null;
  /** Defaults to now. */
  readonly lastModifiedTime?: number;
}

export type SortKey = 'name' | 'creationTime' | 'lastModifiedTime' | 'status';

export interface ListQuery {
  readonly kind: string;
  readonly parent?: string;
  /** Case-insensitive substring of name. */
  readonly nameContains?: string;
  readonly statusEquals?: string;
  readonly creationTimeAfter?: number;
  readonly creationTimeBefore?: number;
  readonly lastModifiedTimeAfter?: number;
  readonly lastModifiedTimeBefore?: number;
  readonly sortBy?: SortKey;
  readonly sortOrder?: 'asc' | 'desc';
  /** 1..1000; default 100. */
  readonly limit?: number;
  /** Opaque cursor from a previous page's nextCursor; a garbled or foreign one throws ServiceError ValidationException. */
  readonly cursor?: string;
}

export interface ListPage<T = unknown> {
  readonly items: ResourceRecord<T>[];
  /** Present when more items follow. */
  readonly nextCursor?: string;
}

export interface AccessKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** ARN of the principal this key authenticates as. */
  readonly principalArn: string;
  readonly status: 'Active' | 'Inactive';
  readonly createdAt: number;
}

export interface LogGroup {
  readonly name: string;
  readonly createdAt: number;
  readonly retentionInDays: number | null;
  readonly storedBytes: number;
}

export interface LogStream {
  readonly group: string;
  readonly name: string;
  readonly createdAt: number;
  readonly firstEventTimestamp: number | null;
  readonly lastEventTimestamp: number | null;
  readonly lastIngestionTime: number | null;
  readonly storedBytes: number;
}

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
  /** Monotonic per store; used for event ids and paging. */
  readonly seq: number;
  readonly stream: string;
}

export interface LogEventQuery {
  readonly group: string;
  /** One stream (GetLogEvents) or several / all (FilterLogEvents). */
  readonly streams?: readonly string[];
  /** Case-sensitive. */
  readonly streamPrefix?: string;
  /** Inclusive. */
  readonly startTime?: number;
  /** Exclusive (GetLogEvents' rule; pass endTime + 1 for FilterLogEvents' inclusive end). */
  readonly endTime?: number;
  /** Only events whose message contains every one of these terms (FilterLogEvents' simple pattern). */
  readonly contains?: readonly string[];
  /** Page forward from (exclusive) / backward from (exclusive) a seq. Results are ordered by seq (ingestion order). */
  readonly afterSeq?: number;
  readonly beforeSeq?: number;
  readonly order: 'asc' | 'desc';
  readonly limit: number;
}

export interface MetadataStore {
  readonly dialect: 'sqlite' | 'postgres';

  /** Applies pending versioned migrations; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // Resources
  /** Throws AlreadyExistsError when (kind, id) exists. */
  createResource<T>(resource: NewResource<T>): Promise<ResourceRecord<T>>;
  getResource<T>(kind: string, id: string): Promise<ResourceRecord<T> | undefined>;
  /** Throws StaleVersionError when the stored version differs from expectedVersion; returns undefined if gone. */
  updateResource<T>(kind: string, id: string, expectedVersion: number, patch: ResourcePatch<T>): Promise<ResourceRecord<T> | undefined>;
  /** Returns whether something was deleted. */
  deleteResource(kind: string, id: string): Promise<boolean>;
  listResources<T>(query: ListQuery): Promise<ListPage<T>>;
  countResources(kind: string, parent?: string): Promise<number>;

  // Access keys
  putAccessKey(key: AccessKey): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<AccessKey | undefined>;
  listAccessKeys(principalArn: string): Promise<AccessKey[]>;
  deleteAccessKey(accessKeyId: string): Promise<boolean>;

  // Settings (small key/value facts, e.g. schema-independent bootstrap state)
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;

  // Logs (CloudWatch Logs model)
  /** Idempotent. */
  ensureLogGroup(name: string, createdAt: number): Promise<void>;
  /** Idempotent; creates the group too. */
  ensureLogStream(group: string, stream: string, createdAt: number): Promise<void>;
  /** Throws ServiceError ResourceNotFoundException when the stream does not exist. */
  putLogEvents(group: string, stream: string, events: readonly { timestamp: number; message: string }[]): Promise<void>;
  listLogGroups(opts: { prefix?: string; after?: string; limit: number }): Promise<LogGroup[]>;
  getLogGroup(name: string): Promise<LogGroup | undefined>;
  listLogStreams(opts: {
    group: string;
    prefix?: string;
    orderBy: 'LogStreamName' | 'LastEventTime';
    descending: boolean;
    /** Opaque offset into the ordering. */
    offset: number;
    limit: number;
  }): Promise<LogStream[]>;
  getLogStream(group: string, stream: string): Promise<LogStream | undefined>;
  queryLogEvents(query: LogEventQuery): Promise<LogEvent[]>;

  // Metrics (CloudWatch model; docs/metrics.md)
  /** Appends statistic-set datapoints (one transaction), creating their series. */
  putMetricData(data: readonly MetricDatum[]): Promise<void>;
  /** Per-period, per-unit aggregates of one series (exact dimensions), ordered by time. */
  getMetricStatistics(query: MetricStatisticsQuery): Promise<MetricBucket[]>;
  /** Series in id order (ListMetrics). */
  listMetricSeries(query: MetricSeriesQuery): Promise<MetricSeries[]>;
  /** Deletes datapoints older than `before` (epoch ms) and series with none left after it; returns how many points went. */
  pruneMetricData(before: number): Promise<number>;
}
