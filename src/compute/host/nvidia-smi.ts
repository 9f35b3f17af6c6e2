import { execFile } from 'node:child_process';
import type { Accelerator } from './host-capacity.js';

/**
 * Parses `nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader` (memory in MiB,
 * e.g. "0, NVIDIA H100 80GB HBM3, 81559 MiB"). Lines that do not parse are skipped.
 */
export function parseNvidiaSmi(csv: string): Accelerator[] {
  const out: Accelerator[] = [];
  for (const line of csv.split('\n')) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 3) continue;
    const index = Number(parts[0]);
    const memory = /^(\d+(?:\.\d+)?)\s*MiB$/i.exec(parts[parts.length - 1]!);
    const name = parts.slice(1, -1).join(', ');
    if (!Number.isInteger(index) || !memory || !name) continue;
    out.push({ index, name, memoryBytes: Math.round(Number(memory[1]) * 1024 * 1024) });
  }
  return out;
}

/**
 * Asks nvidia-smi for the GPUs. No nvidia-smi, a failing one (no driver) or one that does not
 * answer within timeoutMs all mean "no accelerators": the host is then a CPU host.
 */
export function queryNvidiaSmi(command = 'nvidia-smi', timeoutMs = 5000): Promise<Accelerator[]> {
  return new Promise((resolve) => {
    execFile(
      command,
      ['--query-gpu=index,name,memory.total', '--format=csv,noheader'],
      { timeout: timeoutMs, killSignal: 'SIGKILL', windowsHide: true },
      (err, stdout) => resolve(err ? [] : parseNvidiaSmi(String(stdout))),
    );
  });
}
