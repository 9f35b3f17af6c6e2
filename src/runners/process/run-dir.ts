import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One instance's run directory on the host (under the runner's runRoot, never visible inside any
 * sandbox). It holds what must survive a Clary restart:
 *
 *   stdout.log, stderr.log   the instance's output (the sandbox writes them directly)
 *   info.json                bwrap's {"child-pid": …}: the host pid of the sandbox's PID 1
 *   exit                     "<status> <epoch ms>", written by the supervisor when the sandbox ends
 *   handle.json              the handle, for people debugging
 *   hosts                    bound at /etc/hosts
 *   empty                    an empty file bound over hidden files (/etc/shadow …)
 *   tmp/                     bound at /tmp
 */
export interface RunDir {
  readonly root: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly info: string;
  readonly exit: string;
  readonly handle: string;
  readonly hosts: string;
  readonly empty: string;
  readonly tmp: string;
}

export function runDirFor(runRoot: string, id: string): RunDir {
  const root = join(runRoot, id);
  return {
    root,
    stdout: join(root, 'stdout.log'),
    stderr: join(root, 'stderr.log'),
    info: join(root, 'info.json'),
    exit: join(root, 'exit'),
    handle: join(root, 'handle.json'),
    hosts: join(root, 'hosts'),
    empty: join(root, 'empty'),
    tmp: join(root, 'tmp'),
  };
}

export interface ExitRecord {
  readonly status: number;
  readonly endedAt: number;
}

/** The supervisor's exit record, or undefined while the sandbox runs (or when it died unrecorded). */
export async function readExitRecord(dir: RunDir): Promise<ExitRecord | undefined> {
  try {
    const [status, endedAt] = (await readFile(dir.exit, 'utf8')).trim().split(' ').map(Number);
    if (!Number.isInteger(status) || !Number.isFinite(endedAt)) return undefined;
    return { status: status!, endedAt: endedAt! };
  } catch {
    return undefined;
  }
}

/** Host pid of the sandbox's PID 1 (bwrap's reaper), once bwrap has written it. */
export async function readSandboxPid(dir: RunDir): Promise<number | undefined> {
  try {
    const pid = (JSON.parse(await readFile(dir.info, 'utf8')) as { 'child-pid'?: unknown })['child-pid'];
    return typeof pid === 'number' ? pid : undefined;
  } catch {
    return undefined;
  }
}
