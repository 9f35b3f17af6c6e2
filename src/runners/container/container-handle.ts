import { asAttachment, type NetworkAttachment } from '../network/attachment.js';
import type { InstanceHandle } from '../runner.js';
import { InstanceSpecError } from '../runner-errors.js';

/** What the container lane persists per instance. */
export interface ContainerHandle extends InstanceHandle {
  readonly runner: 'container';
  readonly version: 1;
  /** The engine's full container id (64 hex digits). */
  readonly containerId: string;
  /** Its name (runner's prefix + id), unique among the engine's containers. */
  readonly name: string;
  /** Published ports: container port → host port (ContainerInstanceSpec.publish), read after start. */
  readonly ports?: Readonly<Record<string, number>>;
  /** Its place on a private network (network mode private): the namespace it runs in, removed by cleanup. */
  readonly network?: NetworkAttachment;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function checkInstanceId(id: string): string {
  if (!ID.test(id) || id === '..') {
    throw new InstanceSpecError(`invalid instance id "${id}": use letters, digits, ".", "_" and "-" (at most 128), starting with a letter or digit`);
  }
  return id;
}

/** Validates a handle read back from the store (it may come from another lane or an older Clary). */
export function asContainerHandle(handle: InstanceHandle): ContainerHandle {
  const h = handle as Partial<ContainerHandle>;
  if (h.runner !== 'container') throw new InstanceSpecError(`handle of a "${String(h.runner)}" instance given to the container runner`);
  if (h.version !== 1 || typeof h.containerId !== 'string' || !/^[0-9a-f]{12,64}$/.test(h.containerId) || typeof h.name !== 'string' || typeof h.startedAt !== 'number') {
    throw new InstanceSpecError(`malformed container-runner handle for "${String(h.id)}"`);
  }
  checkInstanceId(String(h.id));
  let network: NetworkAttachment | undefined;
  try {
    network = asAttachment(h.network);
  } catch {
    throw new InstanceSpecError(`malformed container-runner handle for "${String(h.id)}" (network)`);
  }
  return { ...(h as ContainerHandle), ...(network ? { network } : {}) };
}
