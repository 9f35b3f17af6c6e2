import type { Database } from 'better-sqlite3';
import { MIGRATIONS } from './index.js';
import { checksumOf, pendingMigrations, type AppliedMigration, type Migration } from './migration.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at INTEGER NOT NULL
)`;

/**
 * Applies pending migrations in one IMMEDIATE transaction: the write lock is taken before the
 * applied versions are read, so two processes starting at once apply each migration once (the
 * second waits on busy_timeout, then finds nothing to do). A failing migration leaves nothing behind.
 */
export function migrateSqlite(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const run = db.transaction(() => {
    db.exec(CREATE_TABLE);
    const applied = db.prepare('SELECT version, checksum FROM schema_migrations').all() as AppliedMigration[];
    const pending = pendingMigrations(migrations, applied, 'sqlite');
    const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
    for (const m of pending) {
      db.exec(m.sqlite);
      record.run(m.version, m.name, checksumOf(m.sqlite), Date.now());
    }
    return pending.map((m) => m.version);
  });
  return run.immediate();
}
