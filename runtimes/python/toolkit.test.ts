// Runs the Python training toolkit's unittest suite (tests/test_*.py but the inference ones, which inference.test.ts runs) under Debian's /usr/bin/python3 (the interpreter
// Clary's process runner uses), so `npm test` covers runtimes/python.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';

const runtimeDir = dirname(fileURLToPath(import.meta.url));
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('clary_training (Python training toolkit)', () => {
  it('passes its unittest suite', () => {
    const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', join(runtimeDir, 'tests'), '-t', runtimeDir, '-p', 'test_[!i]*.py'], {
      cwd: runtimeDir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 300_000);
});
