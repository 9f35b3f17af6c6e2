import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startPostgres, type PostgresServer } from './postgres.js';
import type { SharedPostgres } from './postgres-global.js';

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
 * Without the global setup: a private cluster per test process, stopped when its last database is
 * dropped (vitest ends workers with a signal, so an exit hook alone would leave it running).
 */
let privateCluster: Promise<PostgresServer> | undefined;
let privateUsers = 0;

async function clusterForThisRun(): Promise<{ adminUrl: string; release(): Promise<void> }> {
  let shared: SharedPostgres | undefined;
  try {
    shared = inject('claryPostgres');
  } catch {
    shared = undefined;
  }
  if (shared?.error) throw new Error(`no PostgreSQL for tests: ${shared.error}`);
  if (shared?.adminUrl) return { adminUrl: shared.adminUrl, release: async () => {} };
  privateUsers++;
  privateCluster ??= startPostgres();
  const cluster = privateCluster;
  const release = async () => {
    if (--privateUsers > 0) return;
    if (privateCluster === cluster) privateCluster = undefined;
    await (await cluster).stop();
  };
  try {
    return { adminUrl: (await cluster).adminUrl, release };
  } catch (e) {
    await release().catch(() => {});
    throw e;
  }
}

/** A new empty database `t_<random>` on the run's cluster; drop() removes it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { adminUrl, release } = await clusterForThisRun();
  const name = `t_${randomBytes(6).toString('hex')}`;
  try {
    await withAdmin(adminUrl, `CREATE DATABASE ${name}`);
  } catch (e) {
    await release();
    throw e;
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      try {
        await withAdmin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await release();
      }
    },
  };
}
