export { assertAvailableIn, assertInstanceTypeFor } from './assert-instance-type.js';
export {
  getCatalog,
  getInstanceType,
  isWorkload,
  listFamilies,
  listInstanceTypes,
  listRegions,
  priceFor,
  workloadEnum,
  workloadsFor,
  type InstanceTypeFilter,
} from './catalog.js';
export { CATEGORIES, WORKLOADS } from './types.js';
export type { Accelerator, Catalog, Category, Derivation, InstanceTypeInfo, PriceFigure, Provenance, Workload, WorkloadEnum } from './types.js';
export { CatalogQueryError, isKnownInstanceType, queryInstanceTypes, type InstanceQuery, type InstanceQueryResult } from './query.js';
