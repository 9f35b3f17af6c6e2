import type { Migration } from './migration.js';

/*
 * PostgreSQL: resources.doc from JSONB to TEXT. JSONB refuses the "\u0000" escape that
 * JSON.stringify writes for a U+0000 in any string (a HyperParameter, a tag, an environment
 * value), so such a resource could not be stored at all; TEXT holds the JSON exactly as SQLite
 * does (key order kept, no re-parse on the server). Nothing queries inside doc. SQLite's doc is
 * TEXT already: its side is a no-op.
 */
const sqlite = `SELECT 1;`;

const postgres = `ALTER TABLE resources ALTER COLUMN doc TYPE TEXT USING doc::text;`;

export const docText: Migration = { version: 3, name: 'doc-text', sqlite, postgres };
