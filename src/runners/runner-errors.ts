/** A spec a runner cannot honour (bad path, unknown network mode …): the caller's mistake, said plainly. */
export class InstanceSpecError extends Error {
  override readonly name = 'InstanceSpecError';
}

/** The runner could not start an instance (sandbox tool missing, cgroup refused, timed out). */
export class InstanceStartError extends Error {
  override readonly name = 'InstanceStartError';
}
