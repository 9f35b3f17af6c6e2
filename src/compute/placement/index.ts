export { formatBytes } from './format-resources.js';
export { Placer } from './placer.js';
export type {
  Placement,
  PlacementDecision,
  PlacementRequest,
  PlacerCapacity,
  PlacerOptions,
  PlacerSnapshot,
  ResolvedPlacerOptions,
} from './placement-types.js';
export { placerCapacity } from './placer-capacity.js';
