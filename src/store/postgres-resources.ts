import type { Pool } from 'pg';
import { AlreadyExistsError, StaleVersionError } from '../core/errors.js';
import { finishList, numberPlaceholders, planList } from './list-resources-sql.js';
import type { AccessKey, MetadataStore } from './metadata-store.js';
import { assertEpochMs, docToColumn, INSERT_COLUMNS, insertValues, RESOURCE_COLUMNS, rowToRecord, statusToColumn, type ResourceRow, rowToKey, type AccessKeyRow, type ResourceMethods } from './resource-rows.js';


/**
 * Resources, access keys and settings on a pg Pool. Every method is one statement (atomic on its
 * own): create is INSERT … ON CONFLICT DO NOTHING, update is a compare-and-set on version, so two
 * concurrent updates with the same expected version serialise on the row lock and one of them
 * finds the version changed.
 */
export function postgresResourceMethods(pool: Pool): ResourceMethods {
  const q = <R extends object>(sql: string, params: unknown[] = []) => pool.query<R & Record<string, unknown>>(sql, params);
  return {
    async createResource<T>(r: Parameters<MetadataStore['createResource']>[0]) {
      const { rows } = await q<ResourceRow>(
        `INSERT INTO resources (${INSERT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (kind, id) DO NOTHING RETURNING ${RESOURCE_COLUMNS}`,
        insertValues(r),
      );
      if (!rows[0]) throw new AlreadyExistsError(r.kind, r.id);
      return rowToRecord<T>(rows[0]);
    },

    async getResource<T>(kind: string, id: string) {
      const { rows } = await q<ResourceRow>(`SELECT ${RESOURCE_COLUMNS} FROM resources WHERE kind = $1 AND id = $2`, [kind, id]);
      return rows[0] ? rowToRecord<T>(rows[0]) : undefined;
    },

    async updateResource<T>(kind: string, id: string, expectedVersion: number, patch: Parameters<MetadataStore['updateResource']>[3]) {
      const now = patch.lastModifiedTime ?? Date.now();
      assertEpochMs('lastModifiedTime', now);
      const sets = ['version = version + 1', 'last_modified_time = ?'];
      const params: unknown[] = [now];
      if (patch.doc !== undefined) sets.push('doc = ?'), params.push(docToColumn(patch.doc));
      if (patch.status !== undefined) sets.push('status = ?'), params.push(statusToColumn(patch.status));
      const sql = numberPlaceholders(`UPDATE resources SET ${sets.join(', ')} WHERE kind = ? AND id = ? AND version = ? RETURNING ${RESOURCE_COLUMNS}`);
      const { rows } = await q<ResourceRow>(sql, [...params, kind, id, expectedVersion]);
      if (rows[0]) return rowToRecord<T>(rows[0]);
      const exists = await q('SELECT 1 FROM resources WHERE kind = $1 AND id = $2', [kind, id]);
      if (exists.rowCount) throw new StaleVersionError(kind, id);
      return undefined;
    },

    async deleteResource(kind, id) {
      return ((await q('DELETE FROM resources WHERE kind = $1 AND id = $2', [kind, id])).rowCount ?? 0) > 0;
    },

    async listResources<T>(query: Parameters<MetadataStore['listResources']>[0]) {
      const plan = planList(query);
      const { rows } = await q<ResourceRow>(numberPlaceholders(plan.sql), plan.params);
      return finishList<T>(plan, rows);
    },

    async countResources(kind, parent) {
      const { rows } = await (parent === undefined
        ? q<{ n: number }>('SELECT COUNT(*) AS n FROM resources WHERE kind = $1', [kind])
        : q<{ n: number }>('SELECT COUNT(*) AS n FROM resources WHERE kind = $1 AND parent = $2', [kind, parent]));
      return Number(rows[0]!.n);
    },

    async putAccessKey(k) {
      assertEpochMs('createdAt', k.createdAt);
      await q(
        `INSERT INTO access_keys (access_key_id, secret_access_key, principal_arn, status, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (access_key_id) DO UPDATE SET secret_access_key = excluded.secret_access_key,
           principal_arn = excluded.principal_arn, status = excluded.status, created_at = excluded.created_at`,
        [k.accessKeyId, k.secretAccessKey, k.principalArn, k.status, k.createdAt],
      );
    },

    async getAccessKey(accessKeyId) {
      const { rows } = await q<AccessKeyRow>('SELECT * FROM access_keys WHERE access_key_id = $1', [accessKeyId]);
      return rows[0] ? rowToKey(rows[0]) : undefined;
    },

    async listAccessKeys(principalArn) {
      const { rows } = await q<AccessKeyRow>('SELECT * FROM access_keys WHERE principal_arn = $1 ORDER BY created_at, access_key_id', [principalArn]);
      return rows.map(rowToKey);
    },

    async deleteAccessKey(accessKeyId) {
      return ((await q('DELETE FROM access_keys WHERE access_key_id = $1', [accessKeyId])).rowCount ?? 0) > 0;
    },

    async getSetting(key) {
      const { rows } = await q<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
      return rows[0]?.value;
    },

    async setSetting(key, value) {
      await q('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
    },
  };
}
