// Runs the Python inference toolkit's unittest suite (tests/test_inference_*.py) under Debian's
// /usr/bin/python3, the interpreter endpoints use, so `npm test` covers clary_inference.
import { describe, it, expect } from 'vitest';
import { runUnittest } from './run-unittest.js';

describe('clary_inference (Python model server)', () => {
  it('passes its unittest suite', async () => {
    const r = await runUnittest('test_inference_*.py', 600_000);
    expect(r.status, r.output).toBe(0);
  }, 610_000);
});
