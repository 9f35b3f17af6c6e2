import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkQuota, DEFAULT_QUOTA_DEFAULTS, findQuota, parseQuotaValue, quotaCode, quotaTable, setQuotaValue, appliedValue, validateQuotaDefaults } from '../../src/compute/quotas/index.js';
import { endAllocation, startAllocation } from '../../src/compute/metering/index.js';
import type { MetadataStore } from '../../src/store/metadata-store.js';
import { sqliteStore, type StoreUnderTest } from './support/stores.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };
const owner = { accountId: '000000000000', jobName: 'job' };
const T0 = Date.UTC(2026, 0, 10);
const tail = 'Please use AWS Service Quotas to request an increase for this quota. If AWS Service Quotas is not available, contact AWS support to request an increase for this quota.';

let h: StoreUnderTest;
let store: MetadataStore;
beforeEach(async () => {
  h = await sqliteStore();
  store = h.store;
});
afterEach(() => h.dispose());

describe('quota names, codes and defaults', () => {
  const t = quotaTable();
  it('names every workload like AWS and gives accelerated types 0, CPU types and aggregates 20', () => {
    expect(t.perType('training', 'ml.m5.large')).toMatchObject({ name: 'ml.m5.large for training job usage', defaultValue: 20 });
    expect(t.perType('hosting', 'ml.g5.xlarge')).toMatchObject({ name: 'ml.g5.xlarge for endpoint usage', defaultValue: 0 });
    expect(t.perType('processing', 'ml.p3.2xlarge')).toMatchObject({ name: 'ml.p3.2xlarge for processing job usage', defaultValue: 0 });
    expect(t.perType('transform', 'ml.m5.large')).toMatchObject({ name: 'ml.m5.large for transform job usage', defaultValue: 20 });
    expect(t.perType('app', 'ml.t3.medium')).toMatchObject({ name: 'ml.t3.medium for spaces', defaultValue: 20 });
    expect(t.perType('hosting', 'ml.inf2.xlarge')?.defaultValue).toBe(0);
    expect(t.perType('training', 'ml.trn1.32xlarge')?.defaultValue).toBe(0);
    expect(t.aggregate('training')).toMatchObject({ name: 'Number of instances across all training jobs', defaultValue: 20 });
    expect(t.aggregate('processing')?.name).toBe('Number of instances across all processing jobs');
    expect(t.aggregate('transform')?.name).toBe('Number of instances across all transform jobs');
    expect(t.aggregate('hosting')?.name).toBe('Total number of instances allowed across all endpoints');
    expect(t.aggregate('app')).toBeUndefined();
    // no quota for a type outside the workload's enum (t3 is not a hosting type)
    expect(t.perType('hosting', 'ml.t3.medium')).toBeUndefined();
  });

  it('codes are L- and 8 upper hex digits of the name\'s SHA-256, unique', () => {
    const name = 'ml.m5.large for training job usage';
    expect(quotaCode(name)).toBe(`L-${createHash('sha256').update(name).digest('hex').slice(0, 8).toUpperCase()}`);
    for (const d of t.all) expect(d.code).toMatch(/^L-[0-9A-F]{8}$/);
    expect(new Set(t.all.map((d) => d.code)).size).toBe(t.all.length);
    expect(findQuota(t, quotaCode(name).toLowerCase())?.name).toBe(name);
    expect(findQuota(t, name)?.code).toBe(quotaCode(name));
  });

  it('defaults come from the given defaults object', () => {
    const d = validateQuotaDefaults({ cpuPerType: 3, acceleratedPerType: 1, aggregate: 7 });
    const t2 = quotaTable(d);
    expect(t2.perType('training', 'ml.m5.large')?.defaultValue).toBe(3);
    expect(t2.perType('training', 'ml.g5.xlarge')?.defaultValue).toBe(1);
    expect(t2.aggregate('training')?.defaultValue).toBe(7);
    expect(() => validateQuotaDefaults({ ...DEFAULT_QUOTA_DEFAULTS, aggregate: -1 })).toThrow(/non-negative integer/);
  });
});

describe('checkQuota', () => {
  it('refuses a GPU type on a new account with AWS\'s exact message', async () => {
    await expect(checkQuota(store, { workload: 'training', instanceType: 'ml.g5.xlarge', delta: 1 })).rejects.toMatchObject({
      code: 'ResourceLimitExceeded',
      status: 400,
      message: `The account-level service limit 'ml.g5.xlarge for training job usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1 Instances. ${tail}`,
    });
  });

  it('counts current utilization from the ledger and names it with the delta', async () => {
    await setQuotaValue(store, quotaTable().perType('training', 'ml.m5.large')!, 4, { scope, setBy: 'test', now: T0 });
    await startAllocation(store, { workload: 'training', instanceType: 'ml.m5.large', count: 3, region: 'us-east-1', owner, startTime: T0 });
    await checkQuota(store, { workload: 'training', instanceType: 'ml.m5.large', delta: 1 });
    await expect(checkQuota(store, { workload: 'training', instanceType: 'ml.m5.large', delta: 2 })).rejects.toMatchObject({
      message: `The account-level service limit 'ml.m5.large for training job usage' is 4 Instances, with current utilization of 3 Instances and a request delta of 2 Instances. ${tail}`,
    });
    // other workloads' use of the same type does not count
    await checkQuota(store, { workload: 'processing', instanceType: 'ml.m5.large', delta: 4 });
  });

  it('releases capacity when an allocation ends', async () => {
    const def = quotaTable().perType('training', 'ml.c5.xlarge')!;
    await setQuotaValue(store, def, 2, { scope, setBy: 'test', now: T0 });
    const a = await startAllocation(store, { workload: 'training', instanceType: 'ml.c5.xlarge', count: 2, region: 'us-east-1', owner, startTime: T0 });
    await expect(checkQuota(store, { workload: 'training', instanceType: 'ml.c5.xlarge', delta: 1 })).rejects.toMatchObject({ code: 'ResourceLimitExceeded' });
    await endAllocation(store, a.id, T0 + 1000);
    await checkQuota(store, { workload: 'training', instanceType: 'ml.c5.xlarge', delta: 2 });
  });

  it('checks the aggregate across all types of the workload', async () => {
    await startAllocation(store, { workload: 'training', instanceType: 'ml.m5.large', count: 15, region: 'us-east-1', owner, startTime: T0 });
    await expect(checkQuota(store, { workload: 'training', instanceType: 'ml.c5.xlarge', delta: 6 })).rejects.toMatchObject({
      message: `The account-level service limit 'Number of instances across all training jobs' is 20 Instances, with current utilization of 15 Instances and a request delta of 6 Instances. ${tail}`,
    });
    await checkQuota(store, { workload: 'training', instanceType: 'ml.c5.xlarge', delta: 5 });
  });

  it('uses the caller\'s utilization when given', async () => {
    await expect(checkQuota(store, { workload: 'hosting', instanceType: 'ml.m5.large', delta: 2, currentUtilization: 19 })).rejects.toMatchObject({
      message: expect.stringContaining("'ml.m5.large for endpoint usage' is 20 Instances, with current utilization of 19 Instances and a request delta of 2 Instances."),
    });
  });

  it('an override raises a GPU quota from 0', async () => {
    const def = quotaTable().perType('hosting', 'ml.g5.xlarge')!;
    expect(await setQuotaValue(store, def, '2', { scope, setBy: 'test', now: T0 })).toBe(2);
    expect(await appliedValue(store, def)).toBe(2);
    await checkQuota(store, { workload: 'hosting', instanceType: 'ml.g5.xlarge', delta: 2 });
    await setQuotaValue(store, def, 1, { scope, setBy: 'test', now: T0 + 1 });
    expect(await appliedValue(store, def)).toBe(1);
  });
});

describe('quota values', () => {
  it('refuses non-numbers, negatives and fractions', () => {
    for (const bad of ['', 'ten', 'NaN', 'Infinity', '1e400', null, undefined, {}]) expect(() => parseQuotaValue(bad)).toThrow(/not a number/);
    expect(() => parseQuotaValue('-1')).toThrow(/negative/);
    expect(() => parseQuotaValue(2.5)).toThrow(/whole number/);
    expect(parseQuotaValue(' 7 ')).toBe(7);
    expect(parseQuotaValue(0)).toBe(0);
  });
});
