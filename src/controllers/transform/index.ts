export { TransformController } from './transform-controller.js';
export type { TransformDeps } from './transform-deps.js';
export { sweepTransformInstances } from './leftover-instances.js';
