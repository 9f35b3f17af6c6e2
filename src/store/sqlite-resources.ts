import type { Database, Statement } from 'better-sqlite3';
import { AlreadyExistsError, StaleVersionError } from '../core/errors.js';
import { finishList, planList } from './list-resources-sql.js';
import type { AccessKey, MetadataStore } from './metadata-store.js';
import { assertEpochMs, docToColumn, INSERT_COLUMNS, insertValues, RESOURCE_COLUMNS, rowToRecord, statusToColumn, type ResourceRow, rowToKey, type AccessKeyRow, type ResourceMethods } from './resource-rows.js';

/** Prepares each SQL text once (lazily: tables exist only after migrate()). */
export function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s;
  };
}


/** Resources, access keys and settings on better-sqlite3 (synchronous underneath, async outside). */
export function sqliteResourceMethods(db: Database): ResourceMethods {
  const stmt = statementCache(db);
  return {
    async createResource<T>(r: Parameters<MetadataStore['createResource']>[0]) {
      const row = stmt(
        `INSERT INTO resources (${INSERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, id) DO NOTHING RETURNING ${RESOURCE_COLUMNS}`,
      ).get(...insertValues(r)) as ResourceRow | undefined;
      if (!row) throw new AlreadyExistsError(r.kind, r.id);
      return rowToRecord<T>(row);
    },

    async getResource<T>(kind: string, id: string) {
      const row = stmt(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = ? AND id = ?`).get(kind, id) as ResourceRow | undefined;
      return row ? rowToRecord<T>(row) : undefined;
    },

    async updateResource<T>(kind: string, id: string, expectedVersion: number, patch: Parameters<MetadataStore['updateResource']>[3]) {
      const now = patch.lastModifiedTime ?? Date.now();
      assertEpochMs('lastModifiedTime', now);
      const sets = ['version = version + 1', 'last_modified_time = ?'];
      const params: unknown[] = [now];
      if (patch.doc !== undefined) sets.push('doc = ?'), params.push(docToColumn(patch.doc));
      if (patch.status !== undefined) sets.push('status = ?'), params.push(statusToColumn(patch.status));
      const row = stmt(`UPDATE resources SET ${sets.join(', ')} WHERE kind = ? AND id = ? AND version = ? RETURNING ${RESOURCE_COLUMNS}`).get(
        ...params,
        kind,
        id,
        expectedVersion,
      ) as ResourceRow | undefined;
      if (row) return rowToRecord<T>(row);
      const exists = stmt('SELECT 1 FROM resources WHERE kind = ? AND id = ?').get(kind, id);
      if (exists) throw new StaleVersionError(kind, id);
      return undefined;
    },

    async deleteResource(kind, id) {
      return stmt('DELETE FROM resources WHERE kind = ? AND id = ?').run(kind, id).changes > 0;
    },

    async listResources<T>(query: Parameters<MetadataStore['listResources']>[0]) {
      const plan = planList(query);
      return finishList<T>(plan, stmt(plan.sql).all(...plan.params) as ResourceRow[]);
    },

    async countResources(kind, parent) {
      const row = (parent === undefined
        ? stmt('SELECT COUNT(*) AS n FROM resources WHERE kind = ?').get(kind)
        : stmt('SELECT COUNT(*) AS n FROM resources WHERE kind = ? AND parent = ?').get(kind, parent)) as { n: number };
      return Number(row.n);
    },

    async putAccessKey(k) {
      assertEpochMs('createdAt', k.createdAt);
      stmt(
        `INSERT INTO access_keys (access_key_id, secret_access_key, principal_arn, status, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key,
           principal_arn = excluded.principal_arn, status = excluded.status, created_at = excluded.created_at`,
      ).run(k.accessKeyId, k.secretAccessKey, k.principalArn, k.status, k.createdAt);
    },

    async getAccessKey(accessKeyId) {
      const row = stmt('SELECT * FROM access_keys WHERE access_key_id = ?').get(accessKeyId) as AccessKeyRow | undefined;
      return row ? rowToKey(row) : undefined;
    },

    async listAccessKeys(principalArn) {
      const rows = stmt('SELECT * FROM access_keys WHERE principal_arn = ? ORDER BY created_at, access_key_id').all(principalArn) as AccessKeyRow[];
      return rows.map(rowToKey);
    },

    async deleteAccessKey(accessKeyId) {
      return stmt('DELETE FROM access_keys WHERE access_key_id = ?').run(accessKeyId).changes > 0;
    },

    async getSetting(key) {
      const row = stmt('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
      return row?.value;
    },

    async setSetting(key, value) {
      stmt('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
    },
  };
}

