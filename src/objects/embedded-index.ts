import Database from 'better-sqlite3';
import type { BucketInfo, MultipartUpload, ObjectInfo, PartInfo } from './object-store.js';

/** Everything about an object besides its bytes, as kept in the index's `meta` JSON column. */
export interface StoredMeta {
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
  metadata: Record<string, string>;
  checksums?: Record<string, string>;
}

export interface ObjectRow {
  bucket: string;
  key: Buffer;
  blob: string;
  size: number;
  etag: string;
  modified: number;
  meta: string;
}

export interface PartRow {
  upload: string;
  number: number;
  blob: string;
  size: number;
  etag: string;
  modified: number;
}

export interface UploadRow {
  id: string;
  bucket: string;
  key: Buffer;
  initiated: number;
  meta: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS objects (
  bucket TEXT NOT NULL, key BLOB NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
  modified INTEGER NOT NULL, meta TEXT NOT NULL, PRIMARY KEY (bucket, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS uploads (
  id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key BLOB NOT NULL, initiated INTEGER NOT NULL, meta TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS uploads_by_key ON uploads (bucket, key, initiated);
CREATE TABLE IF NOT EXISTS parts (
  upload TEXT NOT NULL, number INTEGER NOT NULL, blob TEXT NOT NULL, size INTEGER NOT NULL, etag TEXT NOT NULL,
  modified INTEGER NOT NULL, PRIMARY KEY (upload, number)) WITHOUT ROWID;
`;

/** Keys are stored as UTF-8 BLOBs so SQLite's memcmp order is S3's UTF-8 binary order and NUL is just a byte. */
export const keyBytes = (key: string): Buffer => Buffer.from(key, 'utf8');

export function objectInfo(row: ObjectRow): ObjectInfo {
  const meta = JSON.parse(row.meta) as StoredMeta;
  return {
    bucket: row.bucket,
    key: row.key.toString('utf8'),
    size: row.size,
    etag: row.etag,
    lastModified: new Date(row.modified),
    ...meta,
  };
}

export const partInfo = (row: PartRow): PartInfo => ({ partNumber: row.number, etag: row.etag, size: row.size, lastModified: new Date(row.modified) });

export const uploadInfo = (row: UploadRow): MultipartUpload => ({ bucket: row.bucket, key: row.key.toString('utf8'), uploadId: row.id, initiated: new Date(row.initiated) });

/** The embedded store's index: one SQLite database in WAL mode, fsynced on every commit. */
export function openIndex(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const q = {
    insertBucket: db.prepare('INSERT INTO buckets (name, region, created) VALUES (?, ?, ?)'),
    getBucket: db.prepare<[string], { name: string; region: string; created: number }>('SELECT * FROM buckets WHERE name = ?'),
    listBuckets: db.prepare<[], { name: string; region: string; created: number }>('SELECT * FROM buckets ORDER BY name'),
    deleteBucket: db.prepare('DELETE FROM buckets WHERE name = ?'),
    anyObject: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM objects WHERE bucket = ? LIMIT 1'),
    anyUpload: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM uploads WHERE bucket = ? LIMIT 1'),
    getObject: db.prepare<[string, Buffer], ObjectRow>('SELECT * FROM objects WHERE bucket = ? AND key = ?'),
    upsertObject: db.prepare(
      'INSERT INTO objects (bucket, key, blob, size, etag, modified, meta) VALUES (@bucket, @key, @blob, @size, @etag, @modified, @meta) ' +
        'ON CONFLICT (bucket, key) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag, modified = excluded.modified, meta = excluded.meta',
    ),
    deleteObject: db.prepare('DELETE FROM objects WHERE bucket = ? AND key = ?'),
    listFrom: db.prepare<[string, Buffer, Buffer, number], ObjectRow>(
      'SELECT * FROM objects WHERE bucket = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?',
    ),
    listFromOpen: db.prepare<[string, Buffer, number], ObjectRow>('SELECT * FROM objects WHERE bucket = ? AND key >= ? ORDER BY key LIMIT ?'),
    insertUpload: db.prepare('INSERT INTO uploads (id, bucket, key, initiated, meta) VALUES (?, ?, ?, ?, ?)'),
    getUpload: db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE id = ?'),
    deleteUpload: db.prepare('DELETE FROM uploads WHERE id = ?'),
    listUploads: db.prepare<[string], UploadRow>('SELECT * FROM uploads WHERE bucket = ? ORDER BY key, initiated, id'),
    getPart: db.prepare<[string, number], PartRow>('SELECT * FROM parts WHERE upload = ? AND number = ?'),
    upsertPart: db.prepare(
      'INSERT INTO parts (upload, number, blob, size, etag, modified) VALUES (@upload, @number, @blob, @size, @etag, @modified) ' +
        'ON CONFLICT (upload, number) DO UPDATE SET blob = excluded.blob, size = excluded.size, etag = excluded.etag, modified = excluded.modified',
    ),
    listParts: db.prepare<[string, number, number], PartRow>('SELECT * FROM parts WHERE upload = ? AND number > ? ORDER BY number LIMIT ?'),
    allParts: db.prepare<[string], PartRow>('SELECT * FROM parts WHERE upload = ? ORDER BY number'),
    deleteParts: db.prepare('DELETE FROM parts WHERE upload = ?'),
    allBlobs: db.prepare<[], { blob: string }>('SELECT blob FROM objects UNION ALL SELECT blob FROM parts'),
  };
  return { db, q };
}

export type Index = ReturnType<typeof openIndex>;
