import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activeUtilization,
  billableSeconds,
  closeOpenAllocations,
  endAllocation,
  getAllocation,
  listOpenAllocations,
  startAllocation,
  summarizeCosts,
  type StartAllocation,
} from '../../src/compute/metering/index.js';
import { STORES, type StoreUnderTest } from './support/stores.js';

const H = 3600_000;
const T0 = Date.UTC(2026, 0, 10, 12);
const alice = { accountId: '000000000000', domainId: 'd-1', userProfileName: 'alice', jobName: 'train-a', resourceArn: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/train-a' };
const bob = { accountId: '000000000000', domainId: 'd-2', userProfileName: 'bob', jobName: 'ep-b' };
const base = (over: Partial<StartAllocation>): StartAllocation => ({ workload: 'training', instanceType: 'ml.t3.medium', count: 1, region: 'us-east-1', owner: alice, startTime: T0, ...over });

describe.each(STORES)('metering ledger on %s', (_name, open) => {
  let h: StoreUnderTest;
  beforeEach(async () => {
    h = await open();
  });
  afterEach(() => h.dispose());

  it('records start and end once; a second end keeps the first end time', async () => {
    const a = await startAllocation(h.store, base({ count: 2 }));
    expect(a).toMatchObject({ workload: 'training', instanceType: 'ml.t3.medium', count: 2, startTime: T0, endTime: null, owner: alice });
    expect(await activeUtilization(h.store, 'training', 'ml.t3.medium')).toBe(2);
    const ended = await endAllocation(h.store, a.id, T0 + H, 'Completed');
    expect(ended).toMatchObject({ endTime: T0 + H, endReason: 'Completed' });
    const again = await endAllocation(h.store, a.id, T0 + 5 * H, 'Stopped');
    expect(again).toMatchObject({ endTime: T0 + H, endReason: 'Completed' });
    expect(await activeUtilization(h.store, 'training', 'ml.t3.medium')).toBe(0);
    expect(await endAllocation(h.store, 'no-such-id', T0)).toBeUndefined();
  });

  it('a start with a known id is a no-op, so a controller can repeat it after a crash', async () => {
    const first = await startAllocation(h.store, base({ id: 'job-a#1', count: 3 }));
    const second = await startAllocation(h.store, base({ id: 'job-a#1', count: 3, startTime: T0 + 999 }));
    expect(second).toEqual(first);
    expect(await activeUtilization(h.store, 'training')).toBe(3);
  });

  it('refuses nonsense counts and workloads', async () => {
    await expect(startAllocation(h.store, base({ count: 0 }))).rejects.toMatchObject({ code: 'ValidationException' });
    await expect(startAllocation(h.store, base({ count: 1.5 }))).rejects.toMatchObject({ code: 'ValidationException' });
    await expect(startAllocation(h.store, base({ workload: 'gaming' as never }))).rejects.toMatchObject({ code: 'ValidationException' });
  });

  it('utilization is per workload and type; without a type it is the workload\'s total', async () => {
    await startAllocation(h.store, base({ count: 2 }));
    await startAllocation(h.store, base({ instanceType: 'ml.m5.large', count: 3 }));
    await startAllocation(h.store, base({ workload: 'hosting', instanceType: 'ml.m5.large', count: 4 }));
    expect(await activeUtilization(h.store, 'training', 'ml.m5.large')).toBe(3);
    expect(await activeUtilization(h.store, 'training')).toBe(5);
    expect(await activeUtilization(h.store, 'hosting')).toBe(4);
  });

  it('after a restart open allocations stay open; closing the lost ones happens once, at the detection time', async () => {
    const kept = await startAllocation(h.store, base({ owner: { ...alice, jobName: 'kept' } }));
    const lost = await startAllocation(h.store, base({ owner: { ...alice, jobName: 'lost' }, count: 2 }));
    const store = await h.reopen();
    expect((await listOpenAllocations(store)).map((a) => a.id).sort()).toEqual([kept.id, lost.id].sort());
    const detected = T0 + 2 * H;
    const closed = await closeOpenAllocations(store, { where: (a) => a.owner.jobName === 'lost' }, detected, 'lost in restart');
    expect(closed.map((a) => [a.id, a.endTime])).toEqual([[lost.id, detected]]);
    expect(await closeOpenAllocations(store, { ids: [lost.id] }, detected + H)).toEqual([]);
    expect((await getAllocation(store, lost.id))?.endTime).toBe(detected);
    expect((await getAllocation(store, kept.id))?.endTime).toBeNull();
    // nothing double-counted: lost = 2 instances × 2 h, kept = 1 × 3 h at "now"
    const s = await summarizeCosts(store, { by: 'job', since: T0 - H, until: T0 + 10 * H, region: 'us-east-1', now: T0 + 3 * H });
    expect(s.rows).toEqual([
      { key: 'lost', instanceSeconds: 4 * 3600, sageMakerUsd: 0.2, localUsd: 0 },
      { key: 'kept', instanceSeconds: 3 * 3600, sageMakerUsd: 0.15, localUsd: 0 },
    ]);
  });

  it('concurrent ends of one allocation set one end time', async () => {
    const a = await startAllocation(h.store, base({}));
    const ends = await Promise.all([1, 2, 3, 4].map((i) => endAllocation(h.store, a.id, T0 + i * 1000)));
    expect(new Set(ends.map((e) => e?.endTime)).size).toBe(1);
    expect((await getAllocation(h.store, a.id))?.endTime).toBe(ends[0]?.endTime);
  });

  it('costs by each key; ml.t3.medium for 3600 s is $0.05', async () => {
    const a = await startAllocation(h.store, base({}));
    await endAllocation(h.store, a.id, T0 + H);
    await startAllocation(h.store, base({ workload: 'hosting', instanceType: 'ml.m5.large', count: 2, owner: bob, startTime: T0 }));
    const q = { since: T0, until: T0 + H, region: 'us-east-1', now: T0 + H };
    const by = async (key: 'user' | 'domain' | 'job' | 'type' | 'workload') => (await summarizeCosts(h.store, { ...q, by: key })).rows;
    expect(await by('type')).toEqual([
      { key: 'ml.m5.large', instanceSeconds: 7200, sageMakerUsd: 0.23, localUsd: 0 },
      { key: 'ml.t3.medium', instanceSeconds: 3600, sageMakerUsd: 0.05, localUsd: 0 },
    ]);
    expect((await by('user')).map((r) => r.key)).toEqual(['d-2/bob', 'd-1/alice']);
    expect((await by('domain')).map((r) => [r.key, r.sageMakerUsd])).toEqual([['d-2', 0.23], ['d-1', 0.05]]);
    expect((await by('job')).map((r) => r.key)).toEqual(['ep-b', 'train-a']);
    expect((await by('workload')).map((r) => [r.key, r.instanceSeconds])).toEqual([['hosting', 7200], ['training', 3600]]);
    const s = await summarizeCosts(h.store, { ...q, by: 'type' });
    expect(s.total).toEqual({ key: 'total', instanceSeconds: 10800, sageMakerUsd: 0.28, localUsd: 0 });
  });

  it('clips allocations to the window and prices local cost by vCPU share', async () => {
    const a = await startAllocation(h.store, base({ startTime: T0 - H }));
    await endAllocation(h.store, a.id, T0 + H);
    await startAllocation(h.store, base({ startTime: T0 + 3 * H }));
    const s = await summarizeCosts(h.store, { by: 'type', since: T0, until: T0 + 2 * H, region: 'us-east-1', now: T0 + 5 * H, local: { usdPerHostHour: 1, hostVcpus: 8 } });
    // only the hour inside the window; ml.t3.medium has 2 of the host's 8 vCPUs → $0.25 of the host hour
    expect(s.rows).toEqual([{ key: 'ml.t3.medium', instanceSeconds: 3600, sageMakerUsd: 0.05, localUsd: 0.25 }]);
    const eu = await summarizeCosts(h.store, { by: 'type', since: T0, until: T0 + 2 * H, region: 'eu-west-1', now: T0 + 5 * H });
    expect(eu.rows[0]!.sageMakerUsd).toBeGreaterThan(0.05);
  });
});

describe('billableSeconds', () => {
  it('counts started seconds, running allocations up to now, and clips to a window', () => {
    expect(billableSeconds({ startTime: 0, endTime: 3600_000 }, 0)).toBe(3600);
    expect(billableSeconds({ startTime: 0, endTime: 1500 }, 0)).toBe(2);
    expect(billableSeconds({ startTime: 1000, endTime: null }, 61_000)).toBe(60);
    expect(billableSeconds({ startTime: 0, endTime: 10_000 }, 0, { since: 4000, until: 6000 })).toBe(2);
    expect(billableSeconds({ startTime: 0, endTime: 10_000 }, 0, { since: 20_000 })).toBe(0);
  });
});
