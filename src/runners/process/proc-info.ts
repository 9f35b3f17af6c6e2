import { readFile } from 'node:fs/promises';

/**
 * Start time of a process (clock ticks since boot, field 22 of /proc/<pid>/stat): with the pid
 * it names one process for good, so a reused pid is never mistaken for it. undefined when the
 * process is gone or a zombie.
 */
export async function processStartTicks(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

/** Whether pid still is the process that had startTicks. */
export async function isSameProcess(pid: number, startTicks: string): Promise<boolean> {
  return (await processStartTicks(pid)) === startTicks;
}

/** Direct children of pid (its main thread's), empty when gone. */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text.split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
