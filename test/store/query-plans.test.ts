import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/store/cursor.js';
import { numberPlaceholders, planList } from '../../src/store/list-resources-sql.js';
import type { ListQuery, SortKey } from '../../src/store/metadata-store.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { openSqliteStore } from '../../src/store/sqlite-store.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';

/**
 * The list queries must be answered from an index that already holds the requested order, so a
 * page costs the same with 100 or 100,000 records (bench/list-resources.ts measures it). Checked
 * on the query plans, not with timings.
 */
const cursorFor = (sortBy: SortKey, order: 'asc' | 'desc'): string =>
  encodeCursor({ kind: 'training-job', sortBy, order, value: sortBy === 'name' || sortBy === 'status' ? 'm' : 1_700_000_000_000, id: 'x' });

const cases: [string, ListQuery, string][] = [];
for (const sortBy of ['creationTime', 'lastModifiedTime', 'name', 'status'] as const) {
  for (const order of ['asc', 'desc'] as const) {
    cases.push([`${sortBy} ${order}, next page`, { kind: 'training-job', sortBy, sortOrder: order, cursor: cursorFor(sortBy, order) }, '']);
  }
}
cases.push(
  ['status filter, newest first', { kind: 'training-job', statusEquals: 'Completed', cursor: cursorFor('creationTime', 'desc') }, 'resources_by_status_creation'],
  ['status filter + name contains', { kind: 'training-job', statusEquals: 'Completed', nameContains: 'xgb' }, 'resources_by_status_creation'],
  ['parent, newest first', { kind: 'user-profile', parent: 'd-1' }, 'resources_by_parent_creation'],
);

describe('list query plans: sqlite', () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clary-plan-'));
    const store = await openSqliteStore(join(dir, 'clary.db'));
    await store.migrate();
    await store.close();
    db = new Database(join(dir, 'clary.db'));
  });
  afterAll(async () => {
    db?.close();
    await rm(dir, { recursive: true, force: true });
  });

  for (const [label, query, index] of cases) {
    it(`${label}: an index scan in order, no sort`, () => {
      const plan = planList(query);
      const detail = (db.prepare(`EXPLAIN QUERY PLAN ${plan.sql}`).all(...plan.params) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(detail).toMatch(/USING (COVERING )?INDEX resources_by_/);
      expect(detail).not.toMatch(/TEMP B-TREE/);
      if (index) expect(detail).toContain(index);
    });
  }
});

describe('list query plans: postgres', () => {
  let tdb: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    const store = await openPostgresStore(tdb.url);
    await store.migrate();
    await store.close();
    client = new pg.Client({ connectionString: tdb.url });
    await client.connect();
    // Make the planner show whether an index can give the order at all (the table is empty here).
    await client.query('SET enable_seqscan = off');
    await client.query('SET enable_sort = off');
    await client.query('SET enable_bitmapscan = off');
  });
  afterAll(async () => {
    await client?.end();
    await tdb?.drop();
  });

  for (const [label, query, index] of cases) {
    it(`${label}: an index scan in order, no sort`, async () => {
      const plan = planList(query);
      const { rows } = await client.query(`EXPLAIN ${numberPlaceholders(plan.sql)}`, plan.params);
      const text = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
      expect(text).toMatch(/Index Scan( Backward)? using resources_by_/);
      expect(text).not.toMatch(/\bSort\b/);
      if (index) expect(text).toContain(index);
      if (query.cursor) expect(text).toMatch(/Index Cond: .*ROW\(/);
    });
  }
});
