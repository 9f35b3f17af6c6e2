import Database from 'better-sqlite3';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMetadataStoreContract } from './metadata-store.contract.js';
import { openSqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'clary-sqlite-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describeMetadataStoreContract('sqlite', async () => ({
  async fresh() {
    const file = join(await tempDir(), 'clary.db');
    return { store: await openSqliteStore(file), another: () => openSqliteStore(file) };
  },
  async dispose() {},
}));

describe('sqlite store files', () => {
  it('creates the database and its WAL files owner-only, whatever the umask', async () => {
    const file = join(await tempDir(), 'nested', 'clary.db');
    const old = process.umask(0);
    try {
      const store = await openSqliteStore(file);
      await store.migrate();
      await store.setSetting('k', 'v');
      for (const f of [file, `${file}-wal`, `${file}-shm`]) expect(((await stat(f)).mode & 0o777).toString(8)).toBe('600');
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('tightens a database file that was left world-readable', async () => {
    const file = join(await tempDir(), 'clary.db');
    new Database(file).close();
    const { chmod } = await import('node:fs/promises');
    await chmod(file, 0o644);
    const store = await openSqliteStore(file);
    expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600');
    await store.close();
  });

  it('runs in WAL mode with foreign keys and a busy timeout, and keeps data across reopen', async () => {
    const file = join(await tempDir(), 'clary.db');
    const store = await openSqliteStore(file);
    await store.migrate();
    await store.setSetting('persist', 'yes');
    await store.close();
    await store.close(); // idempotent
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const again = await openSqliteStore(file);
    await again.migrate();
    expect(await again.getSetting('persist')).toBe('yes');
    await again.close();
  });

  it('works in memory', async () => {
    const store = await openSqliteStore(':memory:');
    await store.migrate();
    await store.setSetting('a', 'b');
    expect(await store.getSetting('a')).toBe('b');
    await store.close();
  });
});
