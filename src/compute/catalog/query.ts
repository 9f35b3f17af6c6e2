import { getInstanceType, isWorkload, listFamilies, listInstanceTypes, listRegions } from './catalog.js';
import { BASE_REGION } from './regions.js';
import { WORKLOADS, type InstanceTypeInfo } from './types.js';

const PLURAL: Record<string, string> = { family: 'families' };

/** A filter value the catalog does not know; the message lists the valid ones. */
export class CatalogQueryError extends Error {
  constructor(readonly option: string, readonly value: string, readonly valid: readonly string[]) {
    super(`unknown ${option} "${value}"; valid ${PLURAL[option] ?? `${option}s`}: ${valid.join(', ')}`);
    this.name = 'CatalogQueryError';
  }
}

export interface InstanceQuery {
  readonly family?: string;
  readonly workload?: string;
  readonly region?: string;
}

export interface InstanceQueryResult {
  /** The region whose prices apply: the one asked for, else us-east-1. */
  readonly region: string;
  readonly instanceTypes: InstanceTypeInfo[];
}

/**
 * Validates free-text filters (CLI flags, query-string parameters) and lists the matching types.
 * A family may be given as "g5" or "ml.g5". With a region, only the types it offers are listed.
 */
export function queryInstanceTypes(q: InstanceQuery): InstanceQueryResult {
  const family = q.family?.replace(/^ml\./, '');
  if (family !== undefined && !listFamilies().includes(family)) throw new CatalogQueryError('family', q.family!, listFamilies());
  if (q.workload !== undefined && !isWorkload(q.workload)) throw new CatalogQueryError('workload', q.workload, WORKLOADS);
  if (q.region !== undefined && !listRegions().includes(q.region)) throw new CatalogQueryError('region', q.region, listRegions());
  const workload = q.workload !== undefined && isWorkload(q.workload) ? q.workload : undefined;
  return {
    region: q.region ?? BASE_REGION,
    instanceTypes: listInstanceTypes({ family, workload, region: q.region }),
  };
}

/** True when the name is a catalogued ml.* type (convenience for callers holding a free string). */
export const isKnownInstanceType = (name: string): boolean => getInstanceType(name) !== undefined;
