// Runs the Python training toolkit's unittest suite (tests/test_*.py except the inference ones,
// which inference.test.ts runs) under Debian's /usr/bin/python3, so `npm test` covers clary_training.
import { describe, it, expect } from 'vitest';
import { runUnittest } from './run-unittest.js';

describe('clary_training (Python training toolkit)', () => {
  it('passes its unittest suite', async () => {
    const r = await runUnittest('test_[!i]*.py', 600_000);
    expect(r.status, r.output).toBe(0);
  }, 610_000);
});
