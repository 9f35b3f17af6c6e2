import pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { decodeText, encodeParams } from './postgres-text.js';

/** int8 (BIGINT, COUNT(*), BIGSERIAL) as a JS number: Clary's values (epoch ms, byte counts, seqs) fit in 2^53. */
const INT8_OID = 20;
/** text and varchar come back unescaped (postgres-text.ts). */
const TEXT_OIDS = new Set([25, 1043]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    format === 'binary'
      ? pg.types.getTypeParser(oid, format)
      : oid === INT8_OID
        ? (v: string) => Number(v)
        : TEXT_OIDS.has(oid)
          ? decodeText
          : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * Every query on this client sends its string parameters escaped (postgres-text.ts), so a U+0000
 * that a client sent is stored instead of failing the statement. pool.query and transactions
 * both go through client.query.
 */
function escapeParameters(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'object' && config !== null && 'values' in config && typeof (config as { submit?: unknown }).submit !== 'function') {
      config = { ...config, values: encodeParams((config as { values: unknown }).values) };
    }
    return query(config, typeof values === 'function' ? values : encodeParams(values), callback);
  }) as PoolClient['query'];
}

/** A postgres:// URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A pool whose connection has been tried once, so a wrong --database fails at start with a clear message. */
export async function openPool(url: string): Promise<Pool> {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 15_000, idleTimeoutMillis: 30_000, types });
  // An idle client that loses its connection emits 'error' on the pool; the next query reconnects.
  pool.on('error', () => {});
  // A checked-out client whose server connection ends (a restart, an admin's terminate) emits
  // 'error' on itself; unheard, that would crash the process. Its query fails and is answered instead.
  pool.on('connect', (client) => {
    client.on('error', () => {});
    escapeParameters(client);
  });
  try {
    await pool.query('SELECT 1');
  } catch (e) {
    await pool.end().catch(() => {});
    throw new Error(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(e as Error).message} (check --database / CLARY_DATABASE_URL)`);
  }
  return pool;
}

/** Runs fn in BEGIN … COMMIT on one client; ROLLBACK on any error, and a client that cannot roll back is discarded. */
export async function withTransaction<R>(pool: Pool, fn: (client: PoolClient) => Promise<R>): Promise<R> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw e;
  } finally {
    client.release(broken);
  }
}
