import { initial } from './001-initial.js';
import { metrics } from './002-metrics.js';
import { docText } from './003-doc-text.js';
import type { Migration } from './migration.js';

export type { Migration, AppliedMigration } from './migration.js';
export { pendingMigrations, checksumOf } from './migration.js';

/** Every migration, in order. Append only. */
export const MIGRATIONS: readonly Migration[] = Object.freeze([initial, metrics, docText]);
