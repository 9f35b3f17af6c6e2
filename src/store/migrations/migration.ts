import { createHash } from 'node:crypto';

/**
 * One versioned schema change. A migration is immutable once released: never edit one, add the
 * next number instead. The checksum of its SQL is recorded when it is applied, and a database
 * whose recorded checksum differs from the code's refuses to start (someone edited history).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly checksum: string;
}

export const checksumOf = (sql: string): string => createHash('sha256').update(sql).digest('hex').slice(0, 16);

/**
 * Given what the database has, which migrations to run. Throws when the database is newer than
 * this build or when an applied migration's SQL was edited since.
 */
export function pendingMigrations(
  all: readonly Migration[],
  applied: readonly AppliedMigration[],
  dialect: 'sqlite' | 'postgres',
): Migration[] {
  const known = new Map(all.map((m) => [m.version, m]));
  const latest = Math.max(0, ...all.map((m) => m.version));
  for (const a of applied) {
    const m = known.get(a.version);
    if (!m) {
      throw new Error(
        `the database has schema version ${a.version}, newer than this Clary knows (up to ${latest}): upgrade Clary or point it at another database`,
      );
    }
    if (checksumOf(m[dialect]) !== a.checksum) {
      throw new Error(`schema migration ${a.version} (${m.name}) differs from the one applied to this database: migrations must never be edited`);
    }
  }
  const done = new Set(applied.map((a) => a.version));
  return all.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}
