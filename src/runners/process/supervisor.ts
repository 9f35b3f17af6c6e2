import { spawn, type ChildProcess } from 'node:child_process';
import type { RunDir } from './run-dir.js';

/**
 * The supervisor: a small shell, detached from Clary (own session, not Clary's child once Clary is
 * gone), outside the instance's cgroup so the memory limit never kills it. It runs the sandbox in
 * the foreground with bwrap's info on fd 3, then records the sandbox's exit status and end time
 * atomically in the run dir. That record is what lets a restarted Clary learn how an instance
 * ended while it was down.
 */
const SCRIPT = [
  'run=$1; shift',
  '"$@" 3>"$run/info.json"',
  'status=$?',
  `printf '%s %s\\n' "$status" "$(date +%s%3N)" > "$run/exit.tmp" && mv -f "$run/exit.tmp" "$run/exit"`,
].join('\n');

export interface SupervisorInput {
  readonly shell: string;
  readonly dir: RunDir;
  /** The cgroup-joining command line around bwrap (InstanceCgroup.wrap). */
  readonly command: string;
  readonly args: readonly string[];
  /** Open file descriptors for stdout.log / stderr.log. */
  readonly stdoutFd: number;
  readonly stderrFd: number;
  /** Environment of the supervisor and wrapper shells only (bwrap clears it for the instance). */
  readonly env: Record<string, string>;
}

export function spawnSupervisor(input: SupervisorInput): ChildProcess {
  const child = spawn(input.shell, ['-c', SCRIPT, 'clary-supervisor', input.dir.root, input.command, ...input.args], {
    detached: true,
    stdio: ['ignore', input.stdoutFd, input.stderrFd],
    env: input.env,
    cwd: input.dir.root,
  });
  child.unref();
  return child;
}
