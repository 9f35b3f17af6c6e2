/** Default directory under each controller that holds Clary's instance groups. */
export const DEFAULT_PARENT = 'clary';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a group name or parent path ("a/b" allowed for parents) so that it stays inside the
 * controller mount and is safe to put in a shell word: letters, digits, ".", "_", "-", no "..".
 */
export function checkGroupPath(path: string, what: string, allowNested = false): string {
  const parts = allowNested ? path.split('/') : [path];
  if (!parts.every((p) => SEGMENT.test(p) && p !== '..')) {
    throw new Error(`invalid cgroup ${what} "${path}": use letters, digits, ".", "_" and "-" (at most 128), starting with a letter or digit`);
  }
  return path;
}

/** True when name is a valid single group name (see checkGroupPath). */
export function isGroupName(name: string): boolean {
  return SEGMENT.test(name) && name !== '..';
}
