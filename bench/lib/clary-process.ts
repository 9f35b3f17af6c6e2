import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Clary started the way users start it (the compiled CLI), in its own process. */
export interface ClaryProcess {
  readonly child: ChildProcess;
  readonly endpoint: string;
  readonly dataDir: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Milliseconds from spawn to the first 200 from /_clary/health. */
  readonly startMs: number;
  rssBytes(): Promise<number>;
  stop(): Promise<void>;
}

const ROOT = new URL('../..', import.meta.url).pathname;

export async function startClaryProcess(extraArgs: string[] = [], dataDir?: string): Promise<ClaryProcess> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'clary-bench-')));
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'up', '--port', '0', '--data-dir', dir, '--log-level', 'warn', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Clary is up on (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`clary exited with ${code} before it was up:\n${out}`)));
  });
  for (;;) {
    const res = await fetch(`${endpoint}/_clary/health`).catch(() => undefined);
    if (res?.status === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const startMs = performance.now() - t0;
  const creds = await readFile(join(dir, 'credentials'), 'utf8');
  const credentials = {
    accessKeyId: /aws_access_key_id = (\S+)/.exec(creds)![1]!,
    secretAccessKey: /aws_secret_access_key = (\S+)/.exec(creds)![1]!,
  };
  return {
    child,
    endpoint,
    dataDir: dir,
    credentials,
    startMs,
    async rssBytes() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      if (!dataDir) await rm(dir, { recursive: true, force: true });
    },
  };
}
