import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/store/migrations/migration.js';
import { migratePostgres } from '../../src/store/migrations/postgres-migrator.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, sqlite: sql, postgres: sql });

describe('migratePostgres', () => {
  let db: TestDatabase;
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: db.url, max: 2 });
    // pool.end() resolves before its connections have closed; DROP DATABASE … WITH (FORCE) in
    // afterAll may then terminate one, which must not surface as an uncaught error.
    p.on('connect', (c) => c.on('error', () => {}));
    p.on('error', () => {});
    pools.push(p);
    return p;
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const p of pools) await p.end();
    await db?.drop();
  });

  it('applies each migration exactly once when several processes migrate at once', async () => {
    // Not idempotent on purpose: a second CREATE TABLE would fail without the advisory lock.
    const list = [m(1, 'CREATE TABLE race_a (x INTEGER)'), m(2, 'CREATE TABLE race_b (x INTEGER); SELECT pg_sleep(0.05)')];
    const results = await Promise.all(Array.from({ length: 4 }, () => migratePostgres(pool(), list)));
    expect(results.flat().sort()).toEqual([1, 2]);
    const { rows } = await pool().query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }, { version: 2 }]);
    expect(await migratePostgres(pool(), list)).toEqual([]);
  });

  it('rolls a failing migration back entirely and releases the lock', async () => {
    const base = [m(1, 'CREATE TABLE race_a (x INTEGER)'), m(2, 'CREATE TABLE race_b (x INTEGER); SELECT pg_sleep(0.05)')];
    const broken = [...base, m(3, 'CREATE TABLE half (x INTEGER); INSERT INTO nope VALUES (1)')];
    await expect(migratePostgres(pool(), broken)).rejects.toThrow(/nope/);
    const p = pool();
    expect((await p.query(`SELECT to_regclass('half') AS t`)).rows).toEqual([{ t: null }]);
    expect((await p.query('SELECT COUNT(*)::int AS n FROM schema_migrations')).rows).toEqual([{ n: 2 }]);
    expect(await migratePostgres(p, [...base, m(3, 'CREATE TABLE half (x INTEGER)')])).toEqual([3]);
  });
});
