import { ConfigError } from '../core/config.js';
import { isServiceError } from '../core/errors.js';
import type { ArnScope } from '../core/arn.js';
import type { MetadataStore } from '../store/metadata-store.js';
import {
  DEFAULT_QUOTA_DEFAULTS,
  findQuota,
  isQuotaWorkload,
  listOverrides,
  QUOTA_WORKLOADS,
  quotaTable,
  setQuotaValue,
  type QuotaDefaults,
  type QuotaWorkload,
} from '../compute/quotas/index.js';
import { listOpenAllocations } from '../compute/metering/index.js';

export interface QuotasListOptions {
  /** training | hosting (or endpoint) | processing | transform | app (or spaces). */
  workload?: string;
  /** An ml.* instance type: its per-type quotas (and the aggregates of their workloads). */
  type?: string;
}

const ALIASES: Readonly<Record<string, QuotaWorkload>> = { endpoint: 'hosting', endpoints: 'hosting', space: 'app', spaces: 'app' };

function parseWorkload(text: string | undefined): QuotaWorkload | undefined {
  if (text === undefined) return undefined;
  const w = ALIASES[text] ?? text;
  if (!isQuotaWorkload(w)) throw new ConfigError(`unknown workload "${text}"; valid workloads: ${QUOTA_WORKLOADS.join(', ')} (endpoint and spaces also work)`);
  return w;
}

/** `clary quotas list [--workload W] [--type ml.x]`: every quota with its value, default and current use. */
export async function quotasListCommand(store: MetadataStore, opts: QuotasListOptions = {}, defaults: QuotaDefaults = DEFAULT_QUOTA_DEFAULTS): Promise<string> {
  const workload = parseWorkload(opts.workload);
  const defs = quotaTable(defaults).all.filter(
    (d) => (workload === undefined || d.workload === workload) && (opts.type === undefined || d.instanceType === opts.type || d.instanceType === null),
  );
  if (opts.type !== undefined && !defs.some((d) => d.instanceType === opts.type)) {
    throw new ConfigError(`no quota for instance type "${opts.type}"${workload ? ` and workload ${workload}` : ''}; \`clary instances\` lists the types`);
  }
  const overrides = await listOverrides(store);
  const inUse = new Map<string, number>();
  for (const a of await listOpenAllocations(store)) {
    for (const key of [`${a.workload} ${a.instanceType}`, `${a.workload} *`]) inUse.set(key, (inUse.get(key) ?? 0) + a.count);
  }
  const head = ['CODE', 'QUOTA', 'VALUE', 'DEFAULT', 'IN USE'];
  const rows = defs.map((d) => [
    d.code,
    d.name,
    String(overrides.get(d.code) ?? d.defaultValue),
    String(d.defaultValue),
    String(inUse.get(`${d.workload} ${d.instanceType ?? '*'}`) ?? 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const changed = rows.filter((r) => r[2] !== r[3]).length;
  return [line(head), ...rows.map(line), '', `${rows.length} quota${rows.length === 1 ? '' : 's'}, ${changed} changed from the default; values are instances.`, ''].join('\n');
}

/** `clary quotas set "<name or code>" <value>`: sets a quota; a non-number or a negative value is refused. */
export async function quotasSetCommand(
  store: MetadataStore,
  nameOrCode: string,
  value: string,
  ctx: { scope: ArnScope; now: number; defaults?: QuotaDefaults },
): Promise<string> {
  const table = quotaTable(ctx.defaults ?? DEFAULT_QUOTA_DEFAULTS);
  const def = findQuota(table, nameOrCode);
  if (!def) throw new ConfigError(`no quota named or coded "${nameOrCode}"; \`clary quotas list\` shows them (e.g. "ml.m5.large for training job usage")`);
  const before = (await listOverrides(store)).get(def.code) ?? def.defaultValue;
  let stored: number;
  try {
    stored = await setQuotaValue(store, def, value, { scope: ctx.scope, setBy: 'cli', now: ctx.now });
  } catch (e) {
    if (isServiceError(e)) throw new ConfigError(e.message);
    throw e;
  }
  return `'${def.name}' (${def.code}) is now ${stored} Instances (was ${before}; default ${def.defaultValue}).\n`;
}
