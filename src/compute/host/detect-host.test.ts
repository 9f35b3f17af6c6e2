import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectHost } from './detect-host.js';
import { parseMemTotal, readOwnMemoryLimit } from './meminfo.js';
import { parseNvidiaSmi, queryNvidiaSmi } from './nvidia-smi.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clary-host-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function script(name: string, body: string): Promise<string> {
  const p = join(dir, name);
  await writeFile(p, `#!/bin/sh\n${body}\n`);
  await chmod(p, 0o755);
  return p;
}

describe('parsers', () => {
  it('reads MemTotal in bytes', () => {
    expect(parseMemTotal('MemTotal:       24684092 kB\nMemFree: 1 kB\n')).toBe(24684092 * 1024);
    expect(() => parseMemTotal('MemFree: 1 kB\n')).toThrow(/MemTotal/);
  });

  it('parses nvidia-smi CSV, names with commas included, and skips junk', () => {
    const csv = '0, NVIDIA H100 80GB HBM3, 81559 MiB\n1, Weird, Name, 1024 MiB\n\nNo devices were found\n';
    expect(parseNvidiaSmi(csv)).toEqual([
      { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryBytes: 81559 * 1024 * 1024 },
      { index: 1, name: 'Weird, Name', memoryBytes: 1024 * 1024 * 1024 },
    ]);
  });
});

describe('own memory cgroup limit', () => {
  it('takes the v1 memory limit, ignores "unlimited", and reads v2 memory.max', async () => {
    const { mkdir } = await import('node:fs/promises');
    const root = join(dir, 'cg');
    await mkdir(join(root, 'memory/job/a'), { recursive: true });
    await mkdir(join(root, 'svc'), { recursive: true });
    await writeFile(join(root, 'memory/job/a/memory.limit_in_bytes'), '4294967296\n');
    await writeFile(join(dir, 'v1'), '4:memory:/job/a\n1:cpu:/\n');
    expect(await readOwnMemoryLimit(join(dir, 'v1'), root)).toBe(4 * 1024 ** 3);
    await writeFile(join(root, 'memory/job/a/memory.limit_in_bytes'), '9223372036854771712\n');
    expect(await readOwnMemoryLimit(join(dir, 'v1'), root)).toBeUndefined();
    await writeFile(join(dir, 'v2'), '0::/svc\n');
    await writeFile(join(root, 'svc/memory.max'), '1073741824\n');
    expect(await readOwnMemoryLimit(join(dir, 'v2'), root)).toBe(1024 ** 3);
    await writeFile(join(root, 'svc/memory.max'), 'max\n');
    expect(await readOwnMemoryLimit(join(dir, 'v2'), root)).toBeUndefined();
  });
});

describe('nvidia-smi', () => {
  it('asks with the query flags and parses the answer', async () => {
    const fake = await script('fake-smi', 'echo "$1 $2" > "$(dirname "$0")/args"; echo "0, Tesla T4, 15360 MiB"');
    expect(await queryNvidiaSmi(fake)).toEqual([{ index: 0, name: 'Tesla T4', memoryBytes: 15360 * 1024 * 1024 }]);
    expect((await readFile(join(dir, 'args'), 'utf8')).trim()).toBe('--query-gpu=index,name,memory.total --format=csv,noheader');
  });

  it('means no accelerators when absent, failing or hanging', async () => {
    expect(await queryNvidiaSmi(join(dir, 'does-not-exist'))).toEqual([]);
    expect(await queryNvidiaSmi(await script('failing-smi', 'echo "0, X, 1 MiB"; exit 9'))).toEqual([]);
    expect(await queryNvidiaSmi(await script('hanging-smi', 'exec sleep 30'), 200)).toEqual([]);
  });
});

describe('detectHost', () => {
  it('reports this machine', async () => {
    const meminfo = join(dir, 'meminfo');
    await writeFile(meminfo, 'MemTotal:       1048576 kB\n');
    const host = await detectHost({ nvidiaSmi: await script('two-gpus', 'printf "0, A, 1024 MiB\\n1, B, 2048 MiB\\n"'), meminfoPath: meminfo });
    expect(host.vcpus).toBe(availableParallelism());
    const own = await readOwnMemoryLimit();
    expect(host.memoryBytes).toBe(Math.min(1024 ** 3, own ?? Infinity));
    expect(host.accelerators.map((a) => a.name)).toEqual(['A', 'B']);
    expect(Object.isFrozen(host)).toBe(true);
  });

  it('reads the real /proc/meminfo', async () => {
    const host = await detectHost({ nvidiaSmi: join(dir, 'none') });
    const real = parseMemTotal(await readFile('/proc/meminfo', 'utf8'));
    expect(host.memoryBytes).toBeGreaterThan(0);
    expect(host.memoryBytes).toBeLessThanOrEqual(real);
    expect(host.accelerators).toEqual([]);
  });
});
