import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/DB (trust auth, loopback only). */
  readonly url: string;
  /** The maintenance database's URL, for CREATE/DROP DATABASE. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

const APT_LINE = 'apt-get update && apt-get install -y --no-install-recommends postgresql';
const isRoot = () => process.getuid?.() === 0;

/** Directory holding initdb/pg_ctl: PATH first, then the newest /usr/lib/postgresql/N/bin. */
function findBinDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

async function ensureBinDir(): Promise<string> {
  const found = findBinDir();
  if (found) return found;
  if (!isRoot()) throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found; install them as root with: ${APT_LINE}`);
  await run('sh', ['-c', APT_LINE], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 });
  const installed = findBinDir();
  if (!installed) throw new Error(`installed postgresql but found no initdb; try: ${APT_LINE}`);
  return installed;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** initdb refuses root: as root, run the server tools as the `postgres` user on a directory it owns. */
async function asPostgresUser(dir: string): Promise<(bin: string, args: string[]) => Promise<void>> {
  let prefix: string[] = [];
  if (isRoot()) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    await chown(dir, uid, gid);
    prefix = ['runuser', '-u', 'postgres', '--'];
  }
  return async (bin, args) => {
    const [cmd, ...rest] = [...prefix, bin, ...args];
    await run(cmd!, rest, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  };
}

/**
 * A throwaway PostgreSQL cluster on a free loopback port in a temp dir, with database `database`
 * created. stop() kills it (immediate mode) and removes the dir; so does the exit of this process
 * if stop() was not called (a test run that dies, or a per-process cluster nobody stops).
 */
export async function startPostgres(opts: { database?: string } = {}): Promise<PostgresServer> {
  const bin = await ensureBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'clary-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const exec = await asPostgresUser(dir);
  const database = opts.database ?? 'clary';
  try {
    await exec(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = `-k ${dir} -c listen_addresses=127.0.0.1 -p ${port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        await exec(join(bin, 'pg_ctl'), ['start', '-w', '-t', '60', '-D', data, '-l', log, '-o', options]);
        break;
      } catch (e) {
        // Someone took the port between our probe and the server's bind: try another one.
        if (attempt >= 3) throw new Error(`pg_ctl start failed: ${(e as Error).message}\n${await readFile(log, 'utf8').catch(() => '')}`);
      }
    }
    const stopSync = () => {
      try {
        const prefix = isRoot() ? ['runuser', '-u', 'postgres', '--'] : [];
        const [cmd, ...rest] = [...prefix, join(bin, 'pg_ctl'), 'stop', '-D', data, '-m', 'immediate', '-w'];
        execFileSync(cmd!, rest, { stdio: 'ignore' });
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    };
    process.once('exit', stopSync);
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
    } finally {
      await client.end();
    }
    let stopped: Promise<void> | undefined;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      adminUrl,
      stop() {
        stopped ??= (async () => {
          process.removeListener('exit', stopSync);
          await exec(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {});
          await rm(dir, { recursive: true, force: true });
        })();
        return stopped;
      },
    };
  } catch (e) {
    await exec(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => {});
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
