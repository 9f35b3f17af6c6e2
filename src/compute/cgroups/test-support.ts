import type { ChildProcess } from 'node:child_process';
import { detectCgroupLayout } from './cgroup-layout.js';

/** Shared by this folder's tests: whether real cgroups can be used here, and why not. */
export const layout = await detectCgroupLayout();
export const isRoot = process.getuid?.() === 0;
export const cannotUseCgroups = !isRoot || !layout;
export const skipReason = !isRoot ? 'needs root to create cgroups' : 'no cgroup v1 memory controller (nor a cgroup v2 memory hierarchy) on this machine';

/** A prefix unique to this test file's process, so parallel test files never touch each other's groups. */
export function testPrefix(file: string): string {
  return `test-${file}-${process.pid}-`;
}

export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
