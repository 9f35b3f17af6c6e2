export { DEFAULT_HIDDEN_PATHS } from './default-hidden.js';
export { ProcessRunner, type ProcessRunnerOptions } from './process-runner.js';
export type { ProcessHandle } from './process-handle.js';
