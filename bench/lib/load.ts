import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Replays one prepared request with wrk (Debian's; C, so the load generator costs the two
 * compared servers the same and little) over `connections` keep-alive connections for `seconds`.
 * The same request bytes go to every target. A SigV4 signature stays valid for 15 minutes, so a
 * signed request can be replayed.
 */
export interface PreparedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface LoadResult {
  readonly rps: number;
  readonly requests: number;
  readonly errors: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

const lua = (s: string) => JSON.stringify(s); // JSON string literals are valid Lua for these ASCII values

function parseLatency(text: string, pct: string): number {
  const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

export async function replay(req: PreparedRequest, connections: number, seconds: number): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'clary-wrk-'));
  try {
    const headers = Object.entries(req.headers)
      .filter(([k]) => k.toLowerCase() !== 'content-length' && k.toLowerCase() !== 'host')
      .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
      .join('\n');
    const script = join(dir, 'req.lua');
    await writeFile(script, `wrk.method = ${lua(req.method)}\nwrk.body = ${lua(req.body)}\n${headers}\n`);
    const { stdout } = await run('wrk', ['-t', String(Math.min(2, connections)), '-c', String(connections), '-d', `${seconds}s`, '--latency', '-s', script, req.url], {
      maxBuffer: 1 << 20,
    });
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? NaN);
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
    const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
    const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? NaN),
      requests,
      errors,
      latencyP50Ms: parseLatency(stdout, '50'),
      latencyP99Ms: parseLatency(stdout, '99'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
