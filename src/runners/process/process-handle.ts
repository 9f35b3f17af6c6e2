import { asAttachment, type NetworkAttachment } from '../network/attachment.js';
import type { InstanceHandle } from '../runner.js';
import { InstanceSpecError } from '../runner-errors.js';

/** What the process lane persists per instance (the run dir is derived from the runner's runRoot and id). */
export interface ProcessHandle extends InstanceHandle {
  readonly runner: 'process';
  readonly version: 1;
  /** cgroup name (clary/<group>). */
  readonly group: string;
  readonly supervisorPid: number;
  /** Start time of the supervisor (see processStartTicks): guards against pid reuse. */
  readonly supervisorStartTicks: string;
  /** Its place on a private network (network mode private): removed by cleanup. */
  readonly network?: NetworkAttachment;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkInstanceId(id: string): string {
  if (!ID.test(id) || id === '..') {
    throw new InstanceSpecError(`invalid instance id "${id}": use letters, digits, ".", "_" and "-" (at most 128), starting with a letter or digit`);
  }
  return id;
}

/** Validates a handle read back from the store (it may come from an older Clary or another lane). */
export function asProcessHandle(handle: InstanceHandle): ProcessHandle {
  const h = handle as Partial<ProcessHandle>;
  if (h.runner !== 'process') throw new InstanceSpecError(`handle of a "${String(h.runner)}" instance given to the process runner`);
  if (h.version !== 1 || typeof h.group !== 'string' || typeof h.supervisorPid !== 'number' || typeof h.supervisorStartTicks !== 'string' || typeof h.startedAt !== 'number') {
    throw new InstanceSpecError(`malformed process-runner handle for "${String(h.id)}"`);
  }
  checkInstanceId(String(h.id));
  let network: NetworkAttachment | undefined;
  try {
    network = asAttachment(h.network);
  } catch {
    throw new InstanceSpecError(`malformed process-runner handle for "${String(h.id)}" (network)`);
  }
  return { ...(h as ProcessHandle), ...(network ? { network } : {}) };
}
