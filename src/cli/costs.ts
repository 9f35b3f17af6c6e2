import { ConfigError } from '../core/config.js';
import { isServiceError } from '../core/errors.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { COST_KEYS, summarizeCosts, type CostKey, type CostRow, type LocalCostRate } from '../compute/metering/index.js';

export interface CostsOptions {
  by?: string;
  /** A date (2026-01-01) or ISO timestamp; inclusive. */
  since: string;
  /** Exclusive; default now. */
  until?: string;
  csv?: boolean;
}

export interface CostsContext {
  /** Region whose SageMaker prices apply (config.region). */
  readonly region: string;
  readonly local?: LocalCostRate;
  readonly now: number;
}

function parseDate(text: string, option: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
  if (!Number.isFinite(t)) throw new ConfigError(`--${option} "${text}" is not a date like 2026-01-31 or 2026-01-31T12:00:00Z`);
  return t;
}

const money = (n: number): string => n.toFixed(2);
const hours = (seconds: number): string => (seconds / 3600).toFixed(2);
const csvCell = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * `clary costs --by user|domain|job|type|workload --since <date> [--until <date>] [--csv]`:
 * instance time and what it would have cost on SageMaker, next to what it cost on this host.
 */
export async function costsCommand(store: MetadataStore, opts: CostsOptions, ctx: CostsContext): Promise<string> {
  const by = (opts.by ?? 'user') as CostKey;
  if (!COST_KEYS.includes(by)) throw new ConfigError(`--by must be one of ${COST_KEYS.join(', ')} (got "${opts.by}")`);
  const since = parseDate(opts.since, 'since');
  const until = opts.until === undefined ? ctx.now : parseDate(opts.until, 'until');
  if (until < since) throw new ConfigError('--until is before --since');
  let summary;
  try {
    summary = await summarizeCosts(store, { by, since, until, region: ctx.region, local: ctx.local, now: ctx.now });
  } catch (e) {
    if (isServiceError(e)) throw new ConfigError(e.message);
    throw e;
  }
  const all: CostRow[] = [...summary.rows, summary.total];
  if (opts.csv) {
    return ['key,instance_seconds,sagemaker_usd,local_usd', ...all.map((r) => [csvCell(r.key), r.instanceSeconds, r.sageMakerUsd, r.localUsd].join(','))].join('\n') + '\n';
  }
  const head = [by.toUpperCase(), 'INSTANCE HOURS', `SAGEMAKER $ (${ctx.region})`, 'LOCAL $'];
  const rows = all.map((r) => [r.key, hours(r.instanceSeconds), money(r.sageMakerUsd), money(r.localUsd)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const t = summary.total;
  const saved = t.sageMakerUsd - t.localUsd;
  return [
    line(head),
    ...rows.slice(0, -1).map(line),
    line(rows[rows.length - 1]!),
    '',
    `${new Date(since).toISOString()} to ${new Date(until).toISOString()}: the same instance time on Amazon SageMaker (on-demand, ${ctx.region}) would cost $${money(t.sageMakerUsd)}; ` +
      `on this host it cost $${money(t.localUsd)}${saved > 0 ? ` ($${money(saved)} less)` : ''}.`,
    '',
  ].join('\n');
}
