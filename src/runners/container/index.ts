export { asContainerHandle, type ContainerHandle } from './container-handle.js';
export { ContainerRunner, INSTANCE_LABEL, RUNNER_LABEL, type ContainerRunnerOptions } from './container-runner.js';
export type { ContainerInstanceSpec, PortPublish } from './container-spec.js';
export { DEFAULT_ULIMITS, type Ulimit } from './create-options.js';
export { kernelLoggedOomKill } from './kernel-oom.js';
export { ContainerLane, ownerOf, OWNER_LABEL, type ContainerLaneOptions } from './container-lane.js';
export { LaneRunner } from './lane-runner.js';
