export { HostingController } from './hosting-controller.js';
export type { HostingDeps } from './hosting-deps.js';
export { NO_OP_OBSERVER, type InvocationObserver, type InvocationSample } from './invocation-observer.js';
export { ModelArtifacts } from './model-artifacts.js';
export { RoutingTable, pickInstance, pickVariant, type EndpointRoute, type InstanceRoute, type VariantRoute } from './routing-table.js';
export { getVariantInstanceCounts, setVariantDesiredInstanceCount, type VariantInstanceCounts } from './variant-capacity.js';
export { sweepLeftoverEndpointInstances } from './leftover-instances.js';
