import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';

/** `ip` failed: its stderr says why. */
export class IpCommandError extends Error {
  override readonly name = 'IpCommandError';
  constructor(readonly args: readonly string[], readonly stderr: string, code: number | null) {
    super(`ip ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`);
  }
}

export interface IpRunner {
  /** Runs `ip <args>` (with stdin when given) and gives its stdout. */
  (args: readonly string[], stdin?: string): Promise<string>;
}

/** The real `ip` of iproute2. */
export function ipCommand(ipPath = 'ip'): IpRunner {
  return (args, stdin) =>
    new Promise((resolve, reject) => {
      const child = spawn(ipPath, args, { stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout!.on('data', (c: Buffer) => out.push(c));
      child.stderr!.on('data', (c: Buffer) => err.push(c));
      child.once('error', (e) => reject(new IpCommandError(args, e.message, null)));
      child.once('close', (code) => {
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else reject(new IpCommandError(args, Buffer.concat(err).toString('utf8'), code));
      });
      if (stdin !== undefined) child.stdin!.end(stdin);
    });
}

/** Several ip commands in one process (`ip -batch -`), stopping at the first that fails. */
export const ipBatch = (ip: IpRunner, lines: readonly string[], netns?: string) =>
  ip([...(netns ? ['-n', netns] : []), '-batch', '-'], lines.join('\n') + '\n');

/** Like ipBatch but carries on past failures (`-force`), for removals where some things may already be gone. */
export const ipBatchForce = (ip: IpRunner, lines: readonly string[]) => ip(['-force', '-batch', '-'], lines.join('\n') + '\n').catch(() => '');

interface LinkJson {
  readonly ifname: string;
}

/** Names of the links `ip -j link show <filter…>` lists (empty when the filter's device is gone). */
export async function linkNames(ip: IpRunner, filter: readonly string[]): Promise<string[]> {
  try {
    const text = await ip(['-j', 'link', 'show', ...filter]);
    return (JSON.parse(text || '[]') as LinkJson[]).map((l) => l.ifname);
  } catch (e) {
    if (e instanceof IpCommandError && /does not exist|Cannot find device/.test(e.stderr)) return [];
    throw e;
  }
}

/** Names of the network namespaces `ip netns` made: the entries of /run/netns (read directly, as `ip netns list` does, without a process). */
export async function netnsNames(_ip?: IpRunner): Promise<string[]> {
  return readdir(NETNS_DIR).catch(() => [] as string[]);
}

export const NETNS_DIR = '/run/netns';
