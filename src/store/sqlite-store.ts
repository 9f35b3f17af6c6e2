import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MetadataStore } from './metadata-store.js';
import { migrateSqlite } from './migrations/sqlite-migrator.js';
import { sqliteLogMethods } from './sqlite-logs.js';
import { sqliteMetricMethods } from './sqlite-metrics.js';
import { sqliteResourceMethods } from './sqlite-resources.js';

/** How long a write waits for another process's write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 10_000;

/** The database file and its WAL companions hold secrets (access keys): owner-only, whatever the umask. */
function restrictFiles(path: string): void {
  for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
}

/**
 * MetadataStore on a SQLite file (WAL, foreign keys on, busy_timeout). The file is created
 * 0600 before SQLite opens it, and SQLite gives its -wal/-shm files the database file's mode;
 * both are chmod-ed again after opening in case they pre-existed. ':memory:' works for tests.
 */
export async function openSqliteStore(path: string): Promise<MetadataStore> {
  const memory = path === ':memory:';
  if (!memory) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  try {
    if (!memory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!memory) restrictFiles(path);
  } catch (e) {
    db.close();
    throw e;
  }

  let closed = false;
  return {
    dialect: 'sqlite',
    async migrate() {
      migrateSqlite(db);
      if (!memory) restrictFiles(path);
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        db.pragma('optimize');
      } finally {
        db.close();
      }
    },
    ...sqliteResourceMethods(db),
    ...sqliteLogMethods(db),
    ...sqliteMetricMethods(db),
  };
}
