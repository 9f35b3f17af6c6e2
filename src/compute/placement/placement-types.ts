/** One ask for instances: count instances of one type, each needing vcpus, memoryBytes and accelerators. */
export interface PlacementRequest {
  /** Unique among running and queued requests (e.g. the training job or endpoint variant ARN). */
  readonly id: string;
  readonly instanceType: string;
  /** Per instance. */
  readonly vcpus: number;
  /** Per instance. */
  readonly memoryBytes: number;
  /** GPUs per instance (0 for CPU types). */
  readonly accelerators: number;
  /** Instances (InstanceCount); the reservation is count × the per-instance figures. */
  readonly count: number;
}

/** A request that holds its reservation. */
export interface Placement {
  readonly request: PlacementRequest;
  /** Host accelerator slots given to it (0-based into the host's list), count × accelerators of them. */
  readonly acceleratorIndices: readonly number[];
  /** True when it asked for accelerators and got none because emulation stands in for them. */
  readonly acceleratorsEmulated: boolean;
}

export type PlacementDecision =
  | { readonly outcome: 'placed'; readonly placement: Placement }
  | { readonly outcome: 'queued'; readonly id: string; /** 1 = next to start. */ readonly position: number; readonly reason: string }
  | { readonly outcome: 'rejected'; readonly id: string; readonly reason: string };

/** The host as placement sees it. */
export interface PlacerCapacity {
  readonly vcpus: number;
  readonly memoryBytes: number;
  /** Real accelerators (GPUs) the host has. */
  readonly accelerators: number;
}

export interface PlacerOptions {
  /** vCPUs promised per real vCPU (default 4): instances mostly idle, and the cgroup quota still caps each. */
  readonly vcpuOvercommit?: number;
  /** Memory promised per real byte (default 1: never overcommitted, a limit is a real limit). */
  readonly memoryOvercommit?: number;
  /** Let accelerator instance types run without a free real accelerator, flagged as emulated (default false). */
  readonly emulateAccelerators?: boolean;
}

export type ResolvedPlacerOptions = Required<PlacerOptions>;

/** Everything a Placer knows, as plain JSON, to persist and restore across restarts. */
export interface PlacerSnapshot {
  readonly version: 1;
  readonly capacity: PlacerCapacity;
  readonly options: ResolvedPlacerOptions;
  /** In the order they were placed. */
  readonly running: readonly Placement[];
  /** In queue order, head first. */
  readonly queue: readonly PlacementRequest[];
}
