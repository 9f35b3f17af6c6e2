export type {
  ExitInfo,
  InstanceHandle,
  InstanceLimits,
  InstanceSpec,
  LineSink,
  MountSpec,
  NetworkMode,
  NetworkSpec,
  PrivateNetworkLease,
  OutputCursor,
  OutputLine,
  ReattachOptions,
  Runner,
  RunningInstance,
} from './runner.js';
export { InstanceSpecError, InstanceStartError } from './runner-errors.js';
export { DEFAULT_HIDDEN_PATHS, ProcessRunner, type ProcessRunnerOptions } from './process/index.js';
