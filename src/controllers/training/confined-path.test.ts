import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confinedTo, readConfinedText } from './confined-path.js';

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'clary-confined-'));
  root = join(base, 'ws');
  await mkdir(join(root, 'model'), { recursive: true });
  await mkdir(join(base, 'secret'));
  await writeFile(join(base, 'secret', 'key'), 'top secret');
  await writeFile(join(root, 'model', 'weights'), 'w');
  await symlink(join(base, 'secret'), join(root, 'output'));
  await symlink(join(base, 'secret', 'key'), join(root, 'failure'));
  execFileSync('mkfifo', [join(root, 'fifo')]);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('confinedTo / readConfinedText', () => {
  it('accepts real paths below the root and refuses links out, links above, and missing paths', async () => {
    expect(await confinedTo(root, join(root, 'model'))).toBe(true);
    expect(await confinedTo(root, join(root, 'model', 'weights'))).toBe(true);
    expect(await confinedTo(root, join(root, 'output'))).toBe(false);
    expect(await confinedTo(root, join(root, 'output', 'key'))).toBe(false);
    expect(await confinedTo(root, join(root, 'failure'))).toBe(false);
    expect(await confinedTo(root, join(root, 'nothing'))).toBe(false);
  });

  it('reads a regular file up to the limit; a link out or a FIFO reads as empty without blocking', async () => {
    expect(await readConfinedText(root, join(root, 'model', 'weights'), 100)).toBe('w');
    expect(await readConfinedText(root, join(root, 'failure'), 100)).toBe('');
    expect(await readConfinedText(root, join(root, 'output', 'key'), 100)).toBe('');
    expect(await readConfinedText(root, join(root, 'fifo'), 100)).toBe('');
    await writeFile(join(root, 'long'), 'x'.repeat(5000));
    expect(await readConfinedText(root, join(root, 'long'), 10)).toBe('x'.repeat(10));
  });
});
