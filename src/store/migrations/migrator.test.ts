import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from './index.js';
import { checksumOf, pendingMigrations, type Migration } from './migration.js';
import { migrateSqlite } from './sqlite-migrator.js';

const m = (version: number, sql: string): Migration => ({ version, name: `m${version}`, sqlite: sql, postgres: sql });

describe('pendingMigrations', () => {
  const all = [m(2, 'B'), m(1, 'A'), m(3, 'C')];
  it('returns what is missing, in version order', () => {
    expect(pendingMigrations(all, [], 'sqlite').map((x) => x.version)).toEqual([1, 2, 3]);
    expect(pendingMigrations(all, [{ version: 1, checksum: checksumOf('A') }], 'sqlite').map((x) => x.version)).toEqual([2, 3]);
  });
  it('refuses a database newer than the code', () => {
    expect(() => pendingMigrations(all, [{ version: 4, checksum: 'x' }], 'postgres')).toThrow(/schema version 4, newer than this Clary knows \(up to 3\)/);
  });
  it('refuses a migration edited after it was applied', () => {
    expect(() => pendingMigrations(all, [{ version: 2, checksum: checksumOf('B changed') }], 'sqlite')).toThrow(/never be edited/);
  });
  it('ships numbered, unique, increasing migrations with SQL for both dialects', () => {
    expect(MIGRATIONS.map((x) => x.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    for (const x of MIGRATIONS) {
      expect(x.sqlite.trim()).not.toBe('');
      expect(x.postgres.trim()).not.toBe('');
    }
  });
});

describe('migrateSqlite', () => {
  it('applies pending migrations once and records them', () => {
    const db = new Database(':memory:');
    expect(migrateSqlite(db, [m(1, 'CREATE TABLE a (x INTEGER)')])).toEqual([1]);
    expect(migrateSqlite(db, [m(1, 'CREATE TABLE a (x INTEGER)')])).toEqual([]);
    expect(migrateSqlite(db, [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'ALTER TABLE a ADD COLUMN y TEXT')])).toEqual([2]);
    expect(db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all()).toEqual([
      { version: 1, name: 'm1' },
      { version: 2, name: 'm2' },
    ]);
    db.close();
  });

  it('leaves nothing behind when a migration fails', () => {
    const db = new Database(':memory:');
    migrateSqlite(db, [m(1, 'CREATE TABLE a (x INTEGER)')]);
    const broken = [m(1, 'CREATE TABLE a (x INTEGER)'), m(2, 'CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);')];
    expect(() => migrateSqlite(db, broken)).toThrow(/nope/);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'b'`).get()).toBeUndefined();
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
    db.close();
  });

  it('applies the real schema', () => {
    const db = new Database(':memory:');
    expect(migrateSqlite(db)).toEqual(MIGRATIONS.map((x) => x.version));
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['resources', 'access_keys', 'settings', 'log_groups', 'log_streams', 'log_events', 'schema_migrations']));
    db.close();
  });
});
