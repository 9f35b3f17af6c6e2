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
