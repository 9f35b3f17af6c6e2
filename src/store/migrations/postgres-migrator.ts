import type { Pool } from 'pg';
import { MIGRATIONS } from './index.js';
import { checksumOf, pendingMigrations, type AppliedMigration, type Migration } from './migration.js';

/** pg_advisory_lock key that serialises migrations of one database ("Clary" in ASCII). */
export const MIGRATION_LOCK_KEY = '289644375417';

/** How long a starting Clary waits for another one's migration before giving up. */
const LOCK_TIMEOUT = '120s';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/**
 * Applies pending migrations in one transaction while holding a session advisory lock, so that
 * two processes starting at once against the same database apply each migration exactly once:
 * the second waits for the lock, then reads the versions the first recorded.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    } catch (e) {
      throw new Error(`timed out after ${LOCK_TIMEOUT} waiting for another Clary to finish migrating the database (${(e as Error).message})`);
    }
    try {
      await client.query('BEGIN');
      try {
        await client.query(CREATE_TABLE);
        const { rows } = await client.query<AppliedMigration>('SELECT version, checksum FROM schema_migrations');
        const pending = pendingMigrations(migrations, rows, 'postgres');
        for (const m of pending) {
          await client.query(m.postgres);
          await client.query('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, $4)', [
            m.version,
            m.name,
            checksumOf(m.postgres),
            Date.now(),
          ]);
        }
        await client.query('COMMIT');
        return pending.map((m) => m.version);
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await client.query('RESET lock_timeout');
    }
  } catch (e) {
    broken = e as Error;
    throw e;
  } finally {
    // A connection whose state is uncertain is destroyed rather than returned to the pool.
    client.release(broken);
  }
}
