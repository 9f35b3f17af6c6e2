import { readFileSync } from 'node:fs';
import { WORKLOADS, type Catalog, type InstanceTypeInfo, type PriceFigure, type Workload, type WorkloadEnum } from './types.js';

/**
 * The generated catalog (instance-types.json), loaded once. It sits next to this module in the
 * source tree (tsx, vitest); a build in dist/compute/catalog reads the source tree's copy.
 */
const CANDIDATES = ['./instance-types.json', '../../../src/compute/catalog/instance-types.json'];

interface Loaded {
  readonly catalog: Catalog;
  readonly byName: ReadonlyMap<string, InstanceTypeInfo>;
  readonly enumSets: Readonly<Record<Workload, ReadonlySet<string>>>;
}

let loaded: Loaded | undefined;

function load(): Loaded {
  if (loaded) return loaded;
  let text: string | undefined;
  for (const path of CANDIDATES) {
    try {
      text = readFileSync(new URL(path, import.meta.url), 'utf8');
      break;
    } catch {
      // try the next place
    }
  }
  if (text === undefined) throw new Error('instance-types.json not found: run `npx tsx scripts/gen-catalog.ts`');
  const catalog = JSON.parse(text) as Catalog;
  const enumSets = {} as Record<Workload, ReadonlySet<string>>;
  for (const w of WORKLOADS) enumSets[w] = new Set(catalog.workloads[w].values);
  loaded = { catalog, byName: new Map(catalog.instanceTypes.map((t) => [t.name, t])), enumSets };
  return loaded;
}

/** The whole catalog (regions, sources, workload enums, every type). */
export const getCatalog = (): Catalog => load().catalog;

/** One ml.* type, or undefined when no SageMaker enum lists it. */
export const getInstanceType = (name: string): InstanceTypeInfo | undefined => load().byName.get(name);

export const isWorkload = (s: string): s is Workload => (WORKLOADS as readonly string[]).includes(s);

/** The model enum that defines a workload, in the model's order. */
export const workloadEnum = (workload: Workload): WorkloadEnum => load().catalog.workloads[workload];

/** Workloads whose model enum lists the value (works for non-ml values such as "system" too). */
export function workloadsFor(name: string): Workload[] {
  const sets = load().enumSets;
  return WORKLOADS.filter((w) => sets[w].has(name));
}

/** On-demand price of a type in a region; undefined where the region does not offer it. */
export const priceFor = (name: string, region: string): PriceFigure | undefined => getInstanceType(name)?.prices[region];

/** Families in catalog order. */
export const listFamilies = (): string[] => [...new Set(load().catalog.instanceTypes.map((t) => t.family))];

/** Regions the catalog prices. */
export const listRegions = (): string[] => Object.keys(load().catalog.regions);

export interface InstanceTypeFilter {
  readonly family?: string;
  readonly workload?: Workload;
  /** Keep only the types offered (priced) in this region. */
  readonly region?: string;
}

/** Types matching every given filter, in catalog order (family, then size). */
export function listInstanceTypes(filter: InstanceTypeFilter = {}): InstanceTypeInfo[] {
  const { family, workload, region } = filter;
  return load().catalog.instanceTypes.filter(
    (t) =>
      (family === undefined || t.family === family) &&
      (workload === undefined || t.workloads.includes(workload)) &&
      (region === undefined || t.prices[region] !== undefined),
  );
}
