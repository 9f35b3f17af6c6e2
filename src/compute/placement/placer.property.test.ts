import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Placer } from './placer.js';

const GiB = 1024 ** 3;
const host = { vcpus: 2, memoryBytes: 16 * GiB, accelerators: 2 };

type Op = { kind: 'request'; gib: number; vcpus: number; gpus: number; count: number } | { kind: 'release'; pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('request' as const), gib: fc.integer({ min: 1, max: 20 }), vcpus: fc.integer({ min: 1, max: 4 }), gpus: fc.integer({ min: 0, max: 2 }), count: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }),
);

describe('Placer invariants under random request/release sequences', () => {
  it('never overcommits memory or accelerators, starts queued requests in arrival order, and restores to the same state', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const p = new Placer(host);
        const live: string[] = [];
        const queuedOrder: string[] = [];
        const started: string[] = [];
        ops.forEach((o, n) => {
          if (o.kind === 'request') {
            const id = `r${n}`;
            const d = p.request({ id, instanceType: 't', vcpus: o.vcpus, memoryBytes: o.gib * GiB, accelerators: o.gpus, count: o.count });
            if (d.outcome !== 'rejected') live.push(id);
            if (d.outcome === 'queued') queuedOrder.push(id);
            if (d.outcome === 'rejected') expect(o.gib * o.count > 16 || o.vcpus * o.count > 8 || o.gpus * o.count > 2).toBe(true);
          } else if (live.length) {
            const id = live.splice(o.pick % live.length, 1)[0]!;
            const wasQueued = p.state(id) === 'queued';
            if (wasQueued) queuedOrder.splice(queuedOrder.indexOf(id), 1);
            started.push(...p.release(id).map((s) => s.request.id));
          }
          const free = p.free();
          expect(free.memoryBytes).toBeGreaterThanOrEqual(0);
          expect(free.vcpus).toBeGreaterThanOrEqual(0);
          expect(free.accelerators).toBeGreaterThanOrEqual(0);
        });
        // Requests left the queue exactly in the order they entered it.
        expect(started).toEqual(queuedOrder.slice(0, started.length));
        const snap = p.snapshot();
        expect(Placer.restore(JSON.parse(JSON.stringify(snap))).snapshot()).toEqual(snap);
      }),
      { numRuns: 300 },
    );
  });
});
