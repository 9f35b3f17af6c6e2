import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgresStore, openSqliteStore } from '../../../src/store/index.js';
import type { MetadataStore } from '../../../src/store/metadata-store.js';
import { createTestDatabase } from '../../support/postgres-shared.js';

/** A fresh, migrated store; reopen() closes it and opens the same database again (a restart). */
export interface StoreUnderTest {
  store: MetadataStore;
  reopen(): Promise<MetadataStore>;
  dispose(): Promise<void>;
}

export type StoreFactory = () => Promise<StoreUnderTest>;

export const sqliteStore: StoreFactory = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'clary-metering-'));
  const path = join(dir, 'clary.db');
  const open = async () => {
    const s = await openSqliteStore(path);
    await s.migrate();
    return s;
  };
  const h: StoreUnderTest = {
    store: await open(),
    async reopen() {
      await h.store.close();
      h.store = await open();
      return h.store;
    },
    async dispose() {
      await h.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
};

export const postgresStore: StoreFactory = async () => {
  const db = await createTestDatabase();
  const open = async () => {
    const s = await openPostgresStore(db.url);
    await s.migrate();
    return s;
  };
  const h: StoreUnderTest = {
    store: await open(),
    async reopen() {
      await h.store.close();
      h.store = await open();
      return h.store;
    },
    async dispose() {
      await h.store.close();
      await db.drop();
    },
  };
  return h;
};

export const STORES: readonly [string, StoreFactory][] = [
  ['sqlite', sqliteStore],
  ['postgres', postgresStore],
];
