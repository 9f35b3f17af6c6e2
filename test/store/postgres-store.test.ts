import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileConfig } from '../../src/core/config.js';
import { openMetadataStore } from '../../src/store/index.js';
import { describeMetadataStoreContract } from '../../src/store/metadata-store.contract.js';
import { openPostgresStore } from '../../src/store/postgres-store.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';

// One database for the whole file: keeps the cluster up between suites when no global setup shares one.
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describeMetadataStoreContract('postgres', async () => {
  const databases: TestDatabase[] = [];
  return {
    async fresh() {
      const db = await createTestDatabase();
      databases.push(db);
      return { store: await openPostgresStore(db.url), another: () => openPostgresStore(db.url) };
    },
    async dispose() {
      for (const db of databases) await db.drop();
    },
  };
});

describe('postgres store', () => {
  it('is what openMetadataStore picks when a database URL is configured', async () => {
    const store = await openMetadataStore(compileConfig({ database: db.url, dataDir: '/nonexistent' }));
    expect(store.dialect).toBe('postgres');
    await store.migrate();
    await store.setSetting('k', 'v');
    expect(await store.getSetting('k')).toBe('v');
    await store.close();
    await store.close(); // idempotent
  });

  it('fails to open with a message that names the setting and hides the password', async () => {
    const url = new URL(db.url);
    url.password = 'hunter2';
    url.pathname = '/no_such_database_here';
    const err = await openPostgresStore(url.toString()).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/cannot connect to PostgreSQL .*CLARY_DATABASE_URL/s);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
