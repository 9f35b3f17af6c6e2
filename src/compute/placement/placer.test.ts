import { describe, expect, it } from 'vitest';
import type { PlacementDecision, PlacementRequest } from './placement-types.js';
import { Placer } from './placer.js';

const GiB = 1024 ** 3;
/** A host like this one: 2 vCPU, 24 GiB, no GPU. */
const host = { vcpus: 2, memoryBytes: 24 * GiB, accelerators: 0 };

function req(id: string, memGiB: number, vcpus = 2, extra: Partial<PlacementRequest> = {}): PlacementRequest {
  return { id, instanceType: 'ml.m5.xlarge', vcpus, memoryBytes: Math.round(memGiB * GiB), accelerators: 0, count: 1, ...extra };
}

function outcome(d: PlacementDecision): string {
  return d.outcome;
}

describe('Placer: placing and queueing', () => {
  it('places while memory lasts and queues with the reason in GiB', () => {
    const p = new Placer(host);
    expect(outcome(p.request(req('a', 8)))).toBe('placed');
    expect(outcome(p.request(req('b', 10)))).toBe('placed');
    const d = p.request(req('c', 16));
    expect(d).toEqual({ outcome: 'queued', id: 'c', position: 1, reason: 'waiting for capacity: needs 16 GiB, 6 GiB free' });
    expect(p.reason('c')).toBe('waiting for capacity: needs 16 GiB, 6 GiB free');
    expect(p.state('c')).toBe('queued');
    expect(p.free()).toEqual({ vcpus: 4, memoryBytes: 6 * GiB, accelerators: 0 });
  });

  it('never overcommits memory, and overcommits vCPUs by 4 unless told otherwise', () => {
    const p = new Placer(host);
    for (let i = 0; i < 4; i++) expect(outcome(p.request(req(`v${i}`, 1, 2)))).toBe('placed');
    expect(p.request(req('v4', 1, 2))).toMatchObject({ outcome: 'queued', reason: 'waiting for capacity: needs 2 vCPU, 0 vCPU free' });

    const strict = new Placer(host, { vcpuOvercommit: 1 });
    expect(outcome(strict.request(req('x', 1, 2)))).toBe('placed');
    expect(strict.request(req('y', 1, 0.5))).toMatchObject({ outcome: 'queued', reason: 'waiting for capacity: needs 0.5 vCPU, 0 vCPU free' });
  });

  it('reserves count × the per-instance figures', () => {
    const p = new Placer(host);
    expect(p.request(req('multi', 4, 2, { count: 3 }))).toMatchObject({ outcome: 'placed' });
    expect(p.free()).toEqual({ vcpus: 2, memoryBytes: 12 * GiB, accelerators: 0 });
    expect(p.request(req('next', 1, 4))).toMatchObject({ outcome: 'queued', reason: 'waiting for capacity: needs 4 vCPU, 2 vCPU free' });
  });

  it('names every missing resource, rounding what is needed up and what is free down', () => {
    const p = new Placer({ vcpus: 2, memoryBytes: 24 * GiB, accelerators: 1 });
    p.request(req('gpu', 20.04, 8, { accelerators: 1 }));
    expect(p.request(req('big', 4.01, 1, { accelerators: 1 }))).toMatchObject({
      reason: 'waiting for capacity: needs 4.1 GiB, 3.9 GiB free; needs 1 vCPU, 0 vCPU free; needs 1 accelerator, 0 free',
    });
    const small = new Placer({ vcpus: 2, memoryBytes: GiB, accelerators: 0 });
    small.request(req('half', 0.75, 1));
    expect(small.request(req('more', 0.5, 1))).toMatchObject({ reason: 'waiting for capacity: needs 512 MiB, 256 MiB free' });
  });

  it('rejects at once what can never fit the whole host', () => {
    const p = new Placer(host);
    expect(p.request(req('huge', 32))).toEqual({ outcome: 'rejected', id: 'huge', reason: 'can never run on this host: needs 32 GiB, the host has 24 GiB' });
    expect(p.request(req('wide', 1, 16))).toMatchObject({
      outcome: 'rejected',
      reason: 'can never run on this host: needs 16 vCPU, the host offers 8 (2 vCPU × overcommit 4)',
    });
    expect(p.request(req('gpu', 1, 1, { accelerators: 1 }))).toMatchObject({
      outcome: 'rejected',
      reason: 'can never run on this host: needs 1 accelerator, the host has none (accelerator emulation is off)',
    });
    expect(p.state('huge')).toBeUndefined();
    expect(p.queued).toBe(0);
  });

  it('refuses malformed and duplicate requests', () => {
    const p = new Placer(host);
    expect(() => p.request(req('', 1))).toThrow(/id/);
    expect(() => p.request(req('z', 1, 0))).toThrow(/vcpus/);
    expect(() => p.request(req('z', 1, 1, { count: 0 }))).toThrow(/count/);
    expect(() => p.request(req('z', 1, 1, { accelerators: -1 }))).toThrow(/accelerators/);
    expect(() => p.request({ ...req('z', 1), memoryBytes: 1.5 })).toThrow(/memoryBytes/);
    p.request(req('dup', 1));
    expect(() => p.request(req('dup', 1))).toThrow(/already/);
    p.request(req('fill', 23));
    p.request(req('waiting', 2));
    expect(() => p.request(req('waiting', 2))).toThrow(/already/);
    expect(() => new Placer(host, { vcpuOvercommit: 0.5 })).toThrow(/overcommit/);
  });
});

describe('Placer: strict FIFO', () => {
  it('lets nothing overtake the head, so a large request is not starved', () => {
    const p = new Placer(host);
    p.request(req('a', 12));
    p.request(req('b', 10));
    expect(p.request(req('large', 16))).toMatchObject({ outcome: 'queued', position: 1 });
    // 2 GiB is free and this would fit, but it is behind the large one.
    expect(p.request(req('small', 1))).toMatchObject({ outcome: 'queued', position: 2, reason: 'waiting for capacity: queued behind 1 earlier request' });
    expect(p.release('a')).toEqual([]); // 14 GiB free: the head still does not fit, and small must wait
    expect(p.state('small')).toBe('queued');
    const started = p.release('b');
    expect(started.map((s) => s.request.id)).toEqual(['large', 'small']);
    expect(p.queued).toBe(0);
  });

  it('starts every request that now fits, in order, and stops at the first that does not', () => {
    const p = new Placer(host);
    p.request(req('blocker', 24));
    for (const [id, gib] of [['q1', 8], ['q2', 8], ['q3', 16], ['q4', 1]] as const) p.request(req(id, gib));
    expect(p.release('blocker').map((s) => s.request.id)).toEqual(['q1', 'q2']);
    expect(p.reason('q3')).toBe('waiting for capacity: needs 16 GiB, 8 GiB free');
    expect(p.reason('q4')).toBe('waiting for capacity: queued behind 1 earlier request');
    expect(p.release('q1').map((s) => s.request.id)).toEqual(['q3']);
    expect(p.state('q4')).toBe('queued');
    expect(p.release('q2').map((s) => s.request.id)).toEqual(['q4']);
  });

  it('withdrawing the head of the queue lets the next ones start; unknown ids do nothing', () => {
    const p = new Placer(host);
    p.request(req('a', 20));
    p.request(req('head', 10));
    p.request(req('next', 4));
    expect(p.release('head').map((s) => s.request.id)).toEqual(['next']);
    expect(p.state('head')).toBeUndefined();
    expect(p.release('head')).toEqual([]);
    expect(p.release('never-seen')).toEqual([]);
    expect(p.reason('a')).toBeUndefined();
  });

  it('keeps order through many withdrawals (queue compaction)', () => {
    const p = new Placer(host);
    p.request(req('blocker', 24));
    for (let i = 0; i < 500; i++) p.request(req(`q${i}`, 1, 0.01));
    for (let i = 0; i < 500; i += 2) p.release(`q${i}`);
    expect(p.queued).toBe(250);
    expect(p.reason('q401')).toBe('waiting for capacity: needs 1 GiB, 0 GiB free');
    expect(p.snapshot().queue.slice(0, 3).map((r) => r.id)).toEqual(['q1', 'q3', 'q5']);
    expect(p.release('blocker').map((s) => s.request.id)).toEqual(Array.from({ length: 24 }, (_, i) => `q${2 * i + 1}`));
  });
});

describe('Placer: accelerators', () => {
  const gpuHost = { vcpus: 16, memoryBytes: 128 * GiB, accelerators: 2 };

  it('hands out real accelerator slots and gives them back', () => {
    const p = new Placer(gpuHost);
    const a = p.request(req('a', 8, 4, { accelerators: 1 }));
    const b = p.request(req('b', 8, 4, { accelerators: 1 }));
    expect(a).toMatchObject({ outcome: 'placed', placement: { acceleratorIndices: [0], acceleratorsEmulated: false } });
    expect(b).toMatchObject({ outcome: 'placed', placement: { acceleratorIndices: [1] } });
    expect(p.request(req('c', 8, 4, { accelerators: 1 }))).toMatchObject({ outcome: 'queued', reason: 'waiting for capacity: needs 1 accelerator, 0 free' });
    expect(p.release('a')).toMatchObject([{ request: { id: 'c' }, acceleratorIndices: [0] }]);
    expect(p.request(req('two', 8, 4, { accelerators: 2 }))).toMatchObject({ reason: 'waiting for capacity: needs 2 accelerators, 0 free' });
  });

  it('with emulation, runs accelerator types without a free one and says so', () => {
    const p = new Placer(host, { emulateAccelerators: true });
    const d = p.request(req('g', 8, 4, { instanceType: 'ml.g5.xlarge', accelerators: 1 }));
    expect(d).toMatchObject({ outcome: 'placed', placement: { acceleratorIndices: [], acceleratorsEmulated: true } });
    expect(p.request(req('cpu', 1, 1))).toMatchObject({ outcome: 'placed', placement: { acceleratorsEmulated: false } });
    // A real free one is used first when the host has one.
    const real = new Placer({ ...gpuHost, accelerators: 1 }, { emulateAccelerators: true });
    expect(real.request(req('r', 8, 4, { accelerators: 1 }))).toMatchObject({ placement: { acceleratorIndices: [0], acceleratorsEmulated: false } });
    expect(real.request(req('e', 8, 4, { accelerators: 1 }))).toMatchObject({ placement: { acceleratorIndices: [], acceleratorsEmulated: true } });
  });
});

describe('Placer: snapshot and restore', () => {
  it('survives a JSON round trip with reservations and queue order intact', () => {
    const p = new Placer({ vcpus: 4, memoryBytes: 24 * GiB, accelerators: 1 }, { vcpuOvercommit: 2 });
    p.request(req('gpu', 8, 2, { accelerators: 1 }));
    p.request(req('cpu', 12, 2));
    p.request(req('q-big', 10));
    p.request(req('q-small', 1));
    const restored = Placer.restore(JSON.parse(JSON.stringify(p.snapshot())));
    expect(restored.snapshot()).toEqual(p.snapshot());
    expect(restored.options).toEqual({ vcpuOvercommit: 2, memoryOvercommit: 1, emulateAccelerators: false });
    expect(restored.free()).toEqual(p.free());
    expect(restored.placement('gpu')?.acceleratorIndices).toEqual([0]);
    expect(restored.startReady()).toEqual([]);
    expect(restored.release('cpu').map((s) => s.request.id)).toEqual(['q-big', 'q-small']);
  });

  it('restores onto the host as detected now: more room starts the queue, unplaceable ones are dropped', () => {
    const p = new Placer(host);
    p.request(req('run', 20));
    p.request(req('q1', 16));
    p.request(req('q2', 20));
    const bigger = Placer.restore(p.snapshot(), { vcpus: 8, memoryBytes: 64 * GiB, accelerators: 0 });
    expect(bigger.startReady().map((s) => s.request.id)).toEqual(['q1', 'q2']);

    const smaller = Placer.restore(p.snapshot(), { vcpus: 2, memoryBytes: 18 * GiB, accelerators: 0 });
    expect(smaller.free().memoryBytes).toBe(-2 * GiB); // the running one keeps its reservation
    expect(smaller.dropUnplaceable()).toEqual([
      { id: 'q2', reason: 'can never run on this host: needs 20 GiB, the host has 18 GiB' },
    ]);
    expect(smaller.snapshot().queue.map((r) => r.id)).toEqual(['q1']);
    expect(smaller.release('run').map((s) => s.request.id)).toEqual(['q1']);
  });

  it('refuses a snapshot it does not understand', () => {
    expect(() => Placer.restore({ ...new Placer(host).snapshot(), version: 2 as 1 })).toThrow(/version/);
  });
});
