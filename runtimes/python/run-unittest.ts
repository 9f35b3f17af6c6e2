// Runs a unittest discovery under Debian's /usr/bin/python3 (the interpreter Clary's sandboxes
// use) without blocking the test worker: a spawnSync of minutes starves vitest's worker RPC.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runtimeDir = dirname(fileURLToPath(import.meta.url));
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface UnittestResult {
  readonly status: number | null;
  readonly output: string;
}

export function runUnittest(pattern: string, timeoutMs: number): Promise<UnittestResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'unittest', 'discover', '-s', join(runtimeDir, 'tests'), '-t', runtimeDir, '-p', pattern], {
      cwd: runtimeDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}
