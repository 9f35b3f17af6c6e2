import { join } from 'node:path';
import type { ClaryConfig } from '../core/config.js';
import type { MetadataStore } from './metadata-store.js';
import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';

export type * from './metadata-store.js';
export { openPostgresStore } from './postgres-store.js';
export { openSqliteStore } from './sqlite-store.js';

/** PostgreSQL when --database / CLARY_DATABASE_URL is set, else SQLite at DATA_DIR/clary.db. Not migrated yet. */
export function openMetadataStore(config: ClaryConfig): Promise<MetadataStore> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openSqliteStore(join(config.dataDir, 'clary.db'));
}
