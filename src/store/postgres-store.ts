import type { MetadataStore } from './metadata-store.js';
import { migratePostgres } from './migrations/postgres-migrator.js';
import { postgresLogMethods } from './postgres-logs.js';
import { postgresMetricMethods } from './postgres-metrics.js';
import { openPool } from './postgres-pool.js';
import { postgresResourceMethods } from './postgres-resources.js';

/** MetadataStore on PostgreSQL (a pg Pool; one connection is tried before this returns). */
export async function openPostgresStore(url: string): Promise<MetadataStore> {
  const pool = await openPool(url);
  let closing: Promise<void> | undefined;
  return {
    dialect: 'postgres',
    async migrate() {
      await migratePostgres(pool);
    },
    close() {
      closing ??= pool.end();
      return closing;
    },
    ...postgresResourceMethods(pool),
    ...postgresLogMethods(pool),
    ...postgresMetricMethods(pool),
  };
}
