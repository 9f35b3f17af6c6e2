import { Placer } from '../src/compute/placement/placer.js';
import type { PlacementRequest } from '../src/compute/placement/placement-types.js';

/**
 * Placement decisions with 10,000 requests queued. A blocker holds the whole host while 10,000
 * requests (1–16 GiB, 1–8 vCPU) queue behind it; then the blocker and each started request are
 * released in turn until the queue is empty. Every enqueue and release is one timed decision.
 * Side by side, the same decisions each followed by one pass over the queue (the least an O(n)
 * "scan the queue for what fits" placer would pay), as the baseline the ratio is taken against.
 */
const GiB = 1024 ** 3;
const QUEUED = 10_000;

function requests(): PlacementRequest[] {
  let seed = 42;
  const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
  return Array.from({ length: QUEUED }, (_, i) => ({
    id: `job-${i}`,
    instanceType: 'ml.m5.xlarge',
    vcpus: 1 + rand(8),
    memoryBytes: (1 + rand(16)) * GiB,
    accelerators: 0,
    count: 1,
  }));
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Times every decision; rescan simulates an O(n) queue walk per decision for the baseline. */
function measure(rescan: boolean): { enqueue: number[]; release: number[] } {
  const p = new Placer({ vcpus: 16, memoryBytes: 64 * GiB, accelerators: 0 });
  const reqs = requests();
  const enqueue: number[] = [];
  const release: number[] = [];
  let sink = 0;
  const walk = () => {
    // The cheapest possible O(n) pass: one read per queued request.
    if (rescan) for (let i = 0, n = p.queued; i < n; i++) sink += reqs[i]!.memoryBytes;
  };
  p.request({ id: 'blocker', instanceType: 'ml.m5.24xlarge', vcpus: 64, memoryBytes: 64 * GiB, accelerators: 0, count: 1 });
  for (const r of reqs) {
    const t = process.hrtime.bigint();
    p.request(r);
    walk();
    enqueue.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  const running: string[] = ['blocker'];
  for (let i = 0; i < running.length; i++) {
    const t = process.hrtime.bigint();
    const started = p.release(running[i]!);
    walk();
    release.push(Number(process.hrtime.bigint() - t) / 1000);
    for (const s of started) running.push(s.request.id);
  }
  if (p.queued !== 0 || running.length !== QUEUED + 1) throw new Error(`bench did not drain the queue (${p.queued} left)`);
  if (sink < 0) throw new Error('unreachable');
  return { enqueue, release };
}

export async function run() {
  measure(false); // warm-up: JIT
  const fast = measure(false);
  const slow = measure(true);
  const all = [...fast.enqueue, ...fast.release].sort((a, b) => a - b);
  const baseline = [...slow.enqueue, ...slow.release].sort((a, b) => a - b);
  const median = percentile(all, 0.5);
  const round = (n: number) => +n.toFixed(3);
  return {
    name: 'placement',
    queued: QUEUED,
    decisions: all.length,
    medianDecisionMicros: round(median),
    p99DecisionMicros: round(percentile(all, 0.99)),
    medianEnqueueMicros: round(percentile([...fast.enqueue].sort((a, b) => a - b), 0.5)),
    medianReleaseMicros: round(percentile([...fast.release].sort((a, b) => a - b), 0.5)),
    rescanBaselineMedianMicros: round(percentile(baseline, 0.5)),
    speedupVsRescan: round(percentile(baseline, 0.5) / median),
    target: '< 1 ms median',
  };
}
