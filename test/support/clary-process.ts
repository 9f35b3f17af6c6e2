import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

/** Clary in a child process, started from the TypeScript sources (no build needed). */
export interface SpawnedClary {
  readonly child: ChildProcess;
  readonly endpoint: string;
  readonly stdout: () => string;
  credentials(): Promise<{ accessKeyId: string; secretAccessKey: string }>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function spawnClary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SpawnedClary> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const m = /Clary is up on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`clary exited with ${code}:\n${out}\n${err}`)));
  });
  const dataDir = args[args.indexOf('--data-dir') + 1]!;
  return {
    child,
    endpoint,
    stdout: () => out,
    async credentials() {
      const text = await readFile(join(dataDir, 'credentials'), 'utf8');
      return {
        accessKeyId: /aws_access_key_id = (\S+)/.exec(text)![1]!,
        secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)![1]!,
      };
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    },
  };
}
