// Runs the Python inference toolkit's unittest suite (runtimes/python/tests/test_inference_*.py)
// under Debian's /usr/bin/python3, the interpreter endpoints use, so `npm test` covers clary_inference.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';

const runtimeDir = dirname(fileURLToPath(import.meta.url));
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('clary_inference (Python model server)', () => {
  it('passes its unittest suite', () => {
    const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', join(runtimeDir, 'tests'), '-t', runtimeDir, '-p', 'test_inference_*.py'], {
      cwd: runtimeDir,
      encoding: 'utf8',
      timeout: 600_000,
    });
    expect(r.error, String(r.error)).toBeUndefined();
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  }, 600_000);
});
