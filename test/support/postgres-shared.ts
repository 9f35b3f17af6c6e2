import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startPostgres } from './postgres.js';

/**
 * One PostgreSQL cluster per test run, shared by every test file: the global setup starts it
 * (or takes CLARY_TEST_POSTGRES_URL, a maintenance-database URL of an existing server) and
 * provides its URL; each test file makes its own database with createTestDatabase().
 */
export interface SharedPostgres {
  /** URL of the maintenance database (CREATE/DROP DATABASE run there). */
  readonly adminUrl?: string;
  /** Why no cluster could be started; test files that need one fail with it. */
  readonly error?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    claryPostgres: SharedPostgres;
  }
}

/** For vitest's globalSetup: starts the shared cluster and provides it; returns the teardown. */
export async function provideSharedPostgres(project: { provide(key: 'claryPostgres', value: SharedPostgres): void }): Promise<() => Promise<void>> {
  const external = process.env.CLARY_TEST_POSTGRES_URL;
  if (external) {
    project.provide('claryPostgres', { adminUrl: external });
    return async () => {};
  }
  try {
    const server = await startPostgres();
    project.provide('claryPostgres', { adminUrl: server.adminUrl });
    return () => server.stop();
  } catch (e) {
    project.provide('claryPostgres', { error: (e as Error).message });
    return async () => {};
  }
}

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

const withAdmin = async (adminUrl: string, sql: string) => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

/**
 * A new empty database `t_<random>` on the shared cluster; without the global setup (e.g. a
 * single file run with another config) it starts a private cluster that drop() stops.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  let shared: SharedPostgres | undefined;
  try {
    shared = inject('claryPostgres');
  } catch {
    shared = undefined;
  }
  if (shared?.error) throw new Error(`no PostgreSQL for tests: ${shared.error}`);
  let adminUrl = shared?.adminUrl;
  let stopPrivate: (() => Promise<void>) | undefined;
  if (!adminUrl) {
    const server = await startPostgres();
    adminUrl = server.adminUrl;
    stopPrivate = () => server.stop();
  }
  const name = `t_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withAdmin(adminUrl!, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await stopPrivate?.();
    },
  };
}
