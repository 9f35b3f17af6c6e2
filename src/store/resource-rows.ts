import type { AccessKey, MetadataStore, NewResource, ResourceRecord } from './metadata-store.js';

/** Columns of `resources` that make a ResourceRecord, in SELECT order. */
export const RESOURCE_COLUMNS = 'kind, id, name, arn, parent, status, creation_time, last_modified_time, version, doc';

export interface ResourceRow {
  kind: string;
  id: string;
  name: string;
  arn: string;
  parent: string | null;
  status: string;
  creation_time: number | string;
  last_modified_time: number | string;
  version: number | string;
  /** JSON text on both dialects (a PostgreSQL database before migration 3 gives it parsed, as JSONB). */
  doc: unknown;
}

/** '' in the status column means "no status" (so it can sit in composite indexes). */
export const statusToColumn = (status: string | null | undefined): string => status ?? '';
const statusFromColumn = (status: string): string | null => (status === '' ? null : status);

export function rowToRecord<T>(row: ResourceRow): ResourceRecord<T> {
  return {
    kind: row.kind,
    id: row.id,
    name: row.name,
    arn: row.arn,
    parent: row.parent,
    status: statusFromColumn(row.status),
    creationTime: Number(row.creation_time),
    lastModifiedTime: Number(row.last_modified_time),
    version: Number(row.version),
    doc: (typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc) as T,
  };
}

/** The values of an INSERT INTO resources (kind, id, name, name_lower, arn, parent, status, creation_time, last_modified_time, version, doc). */
export function insertValues(r: NewResource<unknown>): unknown[] {
  assertEpochMs('creationTime', r.creationTime);
  if (r.lastModifiedTime !== undefined) assertEpochMs('lastModifiedTime', r.lastModifiedTime);
  return [
    r.kind,
    r.id,
    r.name,
    r.name.toLowerCase(),
    r.arn,
    r.parent ?? null,
    statusToColumn(r.status),
    r.creationTime,
    r.lastModifiedTime ?? r.creationTime,
    1,
    docToColumn(r.doc),
  ];
}

export const INSERT_COLUMNS = 'kind, id, name, name_lower, arn, parent, status, creation_time, last_modified_time, version, doc';

export const docToColumn = (doc: unknown): string => JSON.stringify(doc ?? null);

/** Timestamps are integers of epoch ms on both dialects; anything else is a programming error. */
export function assertEpochMs(field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${field} must be an integer of epoch milliseconds (got ${String(value)})`);
}

/** The resource, access-key and settings part of the store, which each dialect implements. */
export type ResourceMethods = Pick<
  MetadataStore,
  | 'createResource' | 'getResource' | 'updateResource' | 'deleteResource' | 'listResources' | 'countResources'
  | 'putAccessKey' | 'getAccessKey' | 'listAccessKeys' | 'deleteAccessKey' | 'getSetting' | 'setSetting'
>;

export interface AccessKeyRow { access_key_id: string; secret_access_key: string; principal_arn: string; status: string; created_at: number }

export const rowToKey = (r: AccessKeyRow): AccessKey => ({
  accessKeyId: r.access_key_id,
  secretAccessKey: r.secret_access_key,
  principalArn: r.principal_arn,
  status: r.status as AccessKey['status'],
  createdAt: Number(r.created_at),
});
