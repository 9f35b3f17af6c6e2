import { ConfigError } from '../core/config.js';
import { CatalogQueryError, queryInstanceTypes, type InstanceQueryResult, type InstanceTypeInfo } from '../compute/catalog/index.js';

export interface InstancesOptions {
  family?: string;
  workload?: string;
  region?: string;
  json?: boolean;
}

const HEADERS = ['TYPE', 'VCPU', 'MEM GIB', 'ACCELERATORS', '$/H', 'WORKLOADS'] as const;
/** Numeric columns are right-aligned. */
const RIGHT = new Set([1, 2, 4]);

function accelerators(t: InstanceTypeInfo): string {
  const a = t.accelerator;
  return a ? `${a.count}× ${a.kind} (${a.memoryGiB} GiB)` : '-';
}

/** "1.4084" for a confirmed figure, "~2.0300" for a derived one, "-" where the region lacks the type. */
function price(t: InstanceTypeInfo, region: string): string {
  const p = t.prices[region];
  if (!p) return '-';
  return `${p.confirmed ? '' : '~'}${p.usdPerHour.toFixed(4)}`;
}

function table(result: InstanceQueryResult): string {
  const rows = result.instanceTypes.map((t) => [
    t.name, String(t.vcpu), String(t.memoryGiB), accelerators(t), price(t, result.region), t.workloads.join(','),
  ]);
  const head = HEADERS.map((h, i) => (i === 4 ? `$/H ${result.region}` : h));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (RIGHT.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const derived = rows.some((r) => r[4]!.startsWith('~'));
  return [
    line(head),
    ...rows.map(line),
    '',
    `${rows.length} instance type${rows.length === 1 ? '' : 's'}; on-demand USD per hour in ${result.region}.`,
    ...(derived ? ['~ marks a derived price, not confirmed against AWS\'s price list (see docs/instances.md).'] : []),
    '',
  ].join('\n');
}

/**
 * `clary instances [--family g5] [--workload training] [--region us-east-1] [--json]`: the ml.*
 * catalog as a table (or JSON). An unknown family, workload or region is a ConfigError naming the
 * valid values.
 */
export function instancesCommand(opts: InstancesOptions): string {
  let result: InstanceQueryResult;
  try {
    result = queryInstanceTypes({ family: opts.family, workload: opts.workload, region: opts.region });
  } catch (e) {
    if (e instanceof CatalogQueryError) throw new ConfigError(e.message);
    throw e;
  }
  return opts.json ? `${JSON.stringify(result, null, 2)}\n` : table(result);
}
