/**
 * listResources with 100,000 records of a kind vs with 100, on SQLite and PostgreSQL, side by side:
 * a page of 100 with a status filter sorted by creation time (first page and a page deep into the
 * list through its cursor), and the same with NameContains added.
 *
 *   npx tsx bench/list-resources.ts            (starts a throwaway PostgreSQL; as root it needs the postgres user)
 *   CLARY_BENCH_DATABASE_URL=postgres://… npx tsx bench/list-resources.ts
 *
 * Prints JSON (median and p95 milliseconds of each query, and the 100k/100 ratio of medians) and
 * writes it to bench/results/list-resources.json. Also exports run() for bench/run.ts.
 */
import Database from 'better-sqlite3';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { ListQuery, MetadataStore, NewResource } from '../src/store/metadata-store.js';
import { openPostgresStore } from '../src/store/postgres-store.js';
import { INSERT_COLUMNS, insertValues } from '../src/store/resource-rows.js';
import { openSqliteStore } from '../src/store/sqlite-store.js';
import { startPostgres } from '../test/support/postgres.js';

const BIG = 100_000;
const SMALL = 100;
const RUNS = 50;
const STATUSES = ['Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Completed', 'Failed', 'Stopped', 'InProgress'];
const FRAMEWORKS = ['xgb', 'pytorch', 'sklearn', 'tensorflow'];

function trainingJobs(kind: string, n: number): NewResource<unknown>[] {
  return Array.from({ length: n }, (_, i) => {
    const name = `${FRAMEWORKS[i % 4]}-churn-${String(i).padStart(6, '0')}`;
    return {
      kind,
      id: name,
      name,
      arn: `arn:aws:sagemaker:us-east-1:000000000000:training-job/${name}`,
      parent: null,
      status: STATUSES[(i * 7) % STATUSES.length]!,
      creationTime: 1_700_000_000_000 + i * 1000,
      doc: { TrainingJobName: name, AlgorithmSpecification: { TrainingImage: 'xgboost', TrainingInputMode: 'File' }, ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 } },
    };
  });
}

async function time(store: MetadataStore, q: ListQuery): Promise<{ medianMs: number; p95Ms: number; items: number }> {
  let items = 0;
  for (let i = 0; i < 5; i++) items = (await store.listResources(q)).items.length; // warm up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await store.listResources(q);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { medianMs: round(ms[Math.floor(RUNS / 2)]!), p95Ms: round(ms[Math.floor(RUNS * 0.95)]!), items };
}

async function measure(store: MetadataStore): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [label, kind] of [[`records_${BIG}`, 'training-job-big'], [`records_${SMALL}`, 'training-job-small']] as const) {
    const base: ListQuery = { kind, statusEquals: 'Completed', sortBy: 'creationTime', sortOrder: 'desc', limit: 100 };
    // a page deep in the list: follow the cursor 50 pages in (or as far as there is)
    let deep = base;
    for (let i = 0; i < 50; i++) {
      const page = await store.listResources(deep);
      if (!page.nextCursor) break;
      deep = { ...base, cursor: page.nextCursor };
    }
    out[label] = {
      statusPage: await time(store, base),
      statusPageDeep: await time(store, deep),
      statusNameContainsPage: await time(store, { ...base, nameContains: 'XGB' }),
    };
  }
  return out;
}

async function sqliteRun(dir: string): Promise<Record<string, unknown>> {
  const file = join(dir, 'bench.db');
  const store = await openSqliteStore(file);
  await store.migrate();
  const raw = new Database(file);
  const insert = raw.prepare(`INSERT INTO resources (${INSERT_COLUMNS}) VALUES (${INSERT_COLUMNS.split(',').map(() => '?').join(', ')})`);
  raw.transaction(() => {
    for (const r of [...trainingJobs('training-job-big', BIG), ...trainingJobs('training-job-small', SMALL)]) insert.run(...insertValues(r));
  })();
  raw.exec('ANALYZE');
  raw.close();
  try {
    return await measure(store);
  } finally {
    await store.close();
  }
}

async function postgresRun(url: string): Promise<Record<string, unknown>> {
  const store = await openPostgresStore(url);
  await store.migrate();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const cols = INSERT_COLUMNS.split(', ');
  const types = ['text', 'text', 'text', 'text', 'text', 'text', 'text', 'bigint', 'bigint', 'int', 'text'];
  const select = INSERT_COLUMNS;
  const unnest = types.map((t, i) => `$${i + 1}::${t}[]`).join(', ');
  const sql = `INSERT INTO resources (${INSERT_COLUMNS}) SELECT ${select} FROM unnest(${unnest}) AS u(${INSERT_COLUMNS})`;
  const all = [...trainingJobs('training-job-big', BIG), ...trainingJobs('training-job-small', SMALL)].map(insertValues);
  for (let i = 0; i < all.length; i += 10_000) {
    const chunk = all.slice(i, i + 10_000);
    await client.query(sql, cols.map((_, c) => chunk.map((row) => row[c])));
  }
  await client.query('VACUUM ANALYZE resources');
  await client.end();
  try {
    return await measure(store);
  } finally {
    await store.close();
  }
}

type Timing = { medianMs: number; p95Ms: number; items: number };
type Side = Record<string, Record<string, Timing>>;

/** 100k-record median over 100-record median, per query: near 1 means the page cost does not grow with the table. */
function ratios(side: Side): Record<string, number> {
  const big = side[`records_${BIG}`]!;
  const small = side[`records_${SMALL}`]!;
  return Object.fromEntries(Object.keys(big).map((q) => [q, Math.round((big[q]!.medianMs / small[q]!.medianMs) * 100) / 100]));
}

export async function run(): Promise<{ name: string } & Record<string, unknown>> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-bench-'));
  const external = process.env.CLARY_BENCH_DATABASE_URL;
  const server = external ? undefined : await startPostgres({ database: 'bench' });
  try {
    const sqlite = (await sqliteRun(dir)) as Side;
    const postgres = (await postgresRun(external ?? server!.url)) as Side;
    return {
      name: 'list-resources',
      note: `page of 100, status filter, sort by CreationTime desc; ${BIG} vs ${SMALL} records of the kind; ${RUNS} runs each`,
      sqlite,
      postgres,
      ratioBigToSmall: { sqlite: ratios(sqlite), postgres: ratios(postgres) },
    };
  } finally {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = { ...(await run()), measuredAt: new Date().toISOString(), machine: `${cpus().length} cores, node ${process.versions.node}` };
  const text = JSON.stringify(result, null, 2);
  console.log(text);
  await mkdir(new URL('./results/', import.meta.url), { recursive: true });
  await writeFile(new URL('./results/list-resources.json', import.meta.url), `${text}\n`);
}
