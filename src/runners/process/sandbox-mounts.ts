import { posix } from 'node:path';
import type { MountSpec } from '../runner.js';
import { InstanceSpecError } from '../runner-errors.js';
import type { FsProbe } from './fs-probe.js';

/** Sandbox paths the runner owns; mounts may not go there. */
const RESERVED = ['/proc', '/dev', '/sys'];

const isUnder = (p: string, root: string) => p === root || p.startsWith(root === '/' ? '/' : `${root}/`);
const depth = (p: string) => (p === '/' ? 0 : p.split('/').length - 1);

function checkAbsolute(p: string, what: string): void {
  if (!p.startsWith('/') || posix.normalize(p) !== p || (p.length > 1 && p.endsWith('/'))) {
    throw new InstanceSpecError(`${what} "${p}" must be an absolute, normalised path`);
  }
}

export interface MountPlanInput {
  readonly mounts: readonly MountSpec[];
  /** Paths hidden behind an empty tmpfs (dirs) or an empty file (files), symlinks resolved. Absent ones are skipped. */
  readonly hidden: readonly string[];
  /** An empty, read-only host file bound over hidden files. */
  readonly emptyFile: string;
  /** Binds the runner adds itself (e.g. /tmp), before the spec's mounts; their sources may not exist yet. */
  readonly builtins: readonly MountSpec[];
}

/**
 * bwrap arguments that hide paths and bind the instance's mounts over a read-only view of `/`.
 *
 * A bind target must exist or be creatable: the root is read-only, so a target missing on the host
 * (say /opt/ml) gets its deepest existing ancestor (/opt) "shadowed": an empty tmpfs there, with
 * every entry of the host's /opt bound back read-only, so nothing the host has there disappears.
 * Order: shadows, hidden paths, binds by depth (parents before children).
 */
export function planMounts(input: MountPlanInput, fs: FsProbe): string[] {
  const hiddenDirs: string[] = [];
  const hiddenArgs: string[] = [];
  const hidden = new Set<string>();
  for (const given of input.hidden) {
    checkAbsolute(given, 'hidden path');
    // A symlink (/var/run → /run) is hidden by hiding what it points to.
    const h = fs.realpath(given);
    if (h === undefined || hidden.has(h)) continue;
    hidden.add(h);
    if (h === '/') throw new InstanceSpecError(`cannot hide "/" (${given})`);
    const kind = fs.resolvedKind(h);
    if (kind === 'dir') {
      hiddenDirs.push(h);
      hiddenArgs.push('--tmpfs', h);
    } else if (kind !== undefined) {
      hiddenArgs.push('--ro-bind', input.emptyFile, h);
    }
  }
  const sorted = [...input.builtins, ...[...input.mounts].sort((a, b) => depth(a.sandboxPath) - depth(b.sandboxPath))];
  const placed: MountSpec[] = [];
  const shadows: string[] = [];
  const seen = new Set<string>();
  for (const m of sorted) {
    checkAbsolute(m.sandboxPath, 'sandbox path');
    checkAbsolute(m.hostPath, 'host path');
    if (m.sandboxPath === '/' || RESERVED.some((r) => isUnder(m.sandboxPath, r))) {
      throw new InstanceSpecError(`cannot mount over ${m.sandboxPath}: / , /proc, /dev and /sys belong to the sandbox`);
    }
    if (seen.has(m.sandboxPath)) throw new InstanceSpecError(`two mounts at ${m.sandboxPath}`);
    seen.add(m.sandboxPath);
    if (!input.builtins.includes(m) && fs.resolvedKind(m.hostPath) === undefined) throw new InstanceSpecError(`mount source ${m.hostPath} does not exist`);
    if (!creatable(m.sandboxPath, placed, hiddenDirs, shadows, fs)) shadows.push(shadowFor(m.sandboxPath, fs));
    placed.push(m);
  }
  const args: string[] = [];
  for (const s of shadows.sort((a, b) => depth(a) - depth(b))) args.push(...shadowArgs(s, fs));
  args.push(...hiddenArgs);
  for (const m of placed) args.push(m.readOnly ? '--ro-bind' : '--bind', m.hostPath, m.sandboxPath);
  return args;
}

/**
 * Whether bwrap can mount at target: it exists in the bind it sits in (the deepest wins) or that
 * bind is writable; or it sits in a hidden (empty) tmpfs, or in a shadow's tmpfs outside the
 * entries bound back there; or it exists on the host.
 */
function creatable(target: string, placed: readonly MountSpec[], hiddenDirs: readonly string[], shadows: readonly string[], fs: FsProbe): boolean {
  const parent = [...placed].reverse().find((m) => isUnder(target, m.sandboxPath));
  if (parent) {
    const onHost = parent.hostPath + target.slice(parent.sandboxPath.length);
    if (fs.resolvedKind(onHost) !== undefined || !parent.readOnly) return true;
    throw new InstanceSpecError(`cannot mount at ${target}: it is missing inside the read-only mount ${parent.sandboxPath}`);
  }
  if (hiddenDirs.some((r) => isUnder(target, r))) return true;
  const shadow = shadows.find((s) => isUnder(target, s));
  if (shadow !== undefined && target !== shadow) {
    const entry = `${shadow}/${target.slice(shadow.length + 1).split('/')[0]}`;
    if (fs.kind(entry) === undefined) return true;
  }
  return fs.kind(target) !== undefined;
}

function shadowFor(target: string, fs: FsProbe): string {
  let dir = posix.dirname(target);
  while (dir !== '/' && fs.kind(dir) !== 'dir') dir = posix.dirname(dir);
  if (dir === '/') {
    throw new InstanceSpecError(`cannot mount at ${target}: its top-level directory does not exist on this machine (mount under /opt, /mnt or another existing directory)`);
  }
  return dir;
}

/** An empty tmpfs at dir with every host entry of dir bound back (read-only) or re-linked. */
function shadowArgs(dir: string, fs: FsProbe): string[] {
  const args = ['--tmpfs', dir];
  for (const name of fs.list(dir)) {
    const p = `${dir}/${name}`;
    const kind = fs.kind(p);
    if (kind === 'symlink') args.push('--symlink', fs.linkTarget(p), p);
    else if (kind === 'dir' || kind === 'file') args.push('--ro-bind', p, p);
  }
  return args;
}
