import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkBudget, endAllocation, getBudget, setBudget, startAllocation } from '../../src/compute/metering/index.js';
import { quotaTable } from '../../src/compute/quotas/index.js';
import { costsCommand } from '../../src/cli/costs.js';
import { quotasListCommand, quotasSetCommand } from '../../src/cli/quotas.js';
import type { MetadataStore } from '../../src/store/metadata-store.js';
import { sqliteStore, type StoreUnderTest } from './support/stores.js';

const H = 3600_000;
const NOW = Date.UTC(2026, 2, 15, 12); // 2026-03-15
const alice = { accountId: '000000000000', domainId: 'd-1', userProfileName: 'alice', jobName: 'train-a' };
const pricing = { region: 'us-east-1' };
const scope = { region: 'us-east-1', accountId: '000000000000' };

let h: StoreUnderTest;
let store: MetadataStore;
beforeEach(async () => {
  h = await sqliteStore();
  store = h.store;
});
afterEach(() => h.dispose());

/** ml.m5.large ($0.115/h) for `hours` hours this month, for alice. */
async function spend(hours: number, startTime = NOW - 10 * H) {
  const a = await startAllocation(store, { workload: 'training', instanceType: 'ml.m5.large', count: 1, region: 'us-east-1', owner: alice, startTime });
  await endAllocation(store, a.id, startTime + hours * H);
}

describe('budgets', () => {
  it('refuses new work once the user\'s monthly budget is spent, naming amount and spend', async () => {
    await setBudget(store, { target: { scope: 'user', domainId: 'd-1', userProfileName: 'alice' }, usdPerMonth: '0.50', stopRunningWork: true }, NOW);
    await spend(4); // $0.46
    const ok = await checkBudget(store, alice, NOW, pricing);
    expect(ok).toEqual([expect.objectContaining({ spentUsd: 0.46, exhausted: false, stopRunningWork: true })]);
    await spend(1); // $0.575
    await expect(checkBudget(store, alice, NOW, pricing)).rejects.toMatchObject({
      code: 'ResourceLimitExceeded',
      message: 'Budget of $0.50 for user alice (domain d-1) is exhausted this month ($0.57 spent). New work is refused until the budget is raised or the month ends.',
    });
    // other users of the domain are not affected by alice's budget
    await checkBudget(store, { domainId: 'd-1', userProfileName: 'carol' }, NOW, pricing);
    // last month's spending does not count this month
    await checkBudget(store, alice, Date.UTC(2026, 3, 2), pricing);
  });

  it('a domain budget covers every user of the domain', async () => {
    await setBudget(store, { target: { scope: 'domain', domainId: 'd-1' }, usdPerMonth: 0.1 }, NOW);
    await spend(1);
    await expect(checkBudget(store, { domainId: 'd-1', userProfileName: 'carol' }, NOW, pricing)).rejects.toMatchObject({
      message: expect.stringMatching(/^Budget of \$0\.10 for domain d-1 is exhausted this month \(\$0\.12 spent\)\./),
    });
  });

  it('refuses non-numbers, negatives and past months; a future month is not yet in force', async () => {
    const target = { scope: 'user' as const, domainId: 'd-1', userProfileName: 'alice' };
    for (const bad of ['lots', '', null, Number.NaN]) {
      await expect(setBudget(store, { target, usdPerMonth: bad }, NOW)).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining('not a number') });
    }
    await expect(setBudget(store, { target, usdPerMonth: -5 }, NOW)).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining('negative') });
    await expect(setBudget(store, { target, usdPerMonth: 5, fromMonth: '2026-02' }, NOW)).rejects.toMatchObject({ code: 'ValidationException', message: expect.stringContaining('in the past') });
    await expect(setBudget(store, { target, usdPerMonth: 5, fromMonth: '2026-13' }, NOW)).rejects.toMatchObject({ code: 'ValidationException' });
    await setBudget(store, { target, usdPerMonth: 0, fromMonth: '2026-04' }, NOW);
    expect(await getBudget(store, target)).toMatchObject({ usdPerMonth: 0, fromMonth: '2026-04', stopRunningWork: false });
    await spend(1);
    await checkBudget(store, alice, NOW, pricing); // not in force in March
    await expect(checkBudget(store, alice, Date.UTC(2026, 3, 1, 1), pricing)).rejects.toMatchObject({ code: 'ResourceLimitExceeded' });
  });
});

describe('clary quotas', () => {
  it('lists quotas filtered by workload and type, with current use', async () => {
    await startAllocation(store, { workload: 'training', instanceType: 'ml.m5.large', count: 3, region: 'us-east-1', owner: alice, startTime: NOW });
    const text = await quotasListCommand(store, { workload: 'training', type: 'ml.m5.large' });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^CODE\s+QUOTA\s+VALUE\s+DEFAULT\s+IN USE$/);
    expect(lines.find((l) => l.includes('ml.m5.large for training job usage'))).toMatch(/20\s+20\s+3$/);
    expect(lines.find((l) => l.includes('Number of instances across all training jobs'))).toMatch(/20\s+20\s+3$/);
    expect(text).not.toContain('endpoint usage');
    expect(text).toContain('2 quotas, 0 changed from the default');
    await expect(quotasListCommand(store, { workload: 'gaming' })).rejects.toThrow(/unknown workload "gaming"/);
    await expect(quotasListCommand(store, { type: 'ml.nope' })).rejects.toThrow(/no quota for instance type/);
  });

  it('sets a quota by name or code; non-numbers and negatives are refused', async () => {
    const ctx = { scope, now: NOW };
    expect(await quotasSetCommand(store, 'ml.g5.xlarge for endpoint usage', '2', ctx)).toBe(
      `'ml.g5.xlarge for endpoint usage' (${quotaTable().perType('hosting', 'ml.g5.xlarge')!.code}) is now 2 Instances (was 0; default 0).\n`,
    );
    const code = quotaTable().aggregate('training')!.code;
    expect(await quotasSetCommand(store, code, '40', ctx)).toContain('is now 40 Instances (was 20; default 20)');
    await expect(quotasSetCommand(store, code, 'many', ctx)).rejects.toThrow('Quota value "many" is not a number');
    await expect(quotasSetCommand(store, code, '-3', ctx)).rejects.toThrow('Quota value -3 is negative');
    await expect(quotasSetCommand(store, 'no such quota', '1', ctx)).rejects.toThrow(/no quota named or coded/);
    expect(await quotasListCommand(store, { workload: 'hosting', type: 'ml.g5.xlarge' })).toMatch(/ml\.g5\.xlarge for endpoint usage\s+2\s+0\s+0/);
  });
});

describe('clary costs', () => {
  it('prints totals and the SageMaker-vs-local comparison, or CSV', async () => {
    await spend(2);
    const ctx = { region: 'us-east-1', now: NOW, local: { usdPerHostHour: 0.2, hostVcpus: 2 } };
    const text = await costsCommand(store, { by: 'user', since: '2026-03-01' }, ctx);
    expect(text).toMatch(/^USER\s+INSTANCE HOURS\s+SAGEMAKER \$ \(us-east-1\)\s+LOCAL \$\n/);
    expect(text).toMatch(/d-1\/alice\s+2\.00\s+0\.23\s+0\.40\n/);
    expect(text).toMatch(/total\s+2\.00\s+0\.23\s+0\.40\n/);
    expect(text).toContain('would cost $0.23; on this host it cost $0.40.');
    const csv = await costsCommand(store, { by: 'type', since: '2026-03-01', until: '2026-04-01', csv: true }, ctx);
    expect(csv).toBe('key,instance_seconds,sagemaker_usd,local_usd\nml.m5.large,7200,0.23,0.4\ntotal,7200,0.23,0.4\n');
    await expect(costsCommand(store, { by: 'planet', since: '2026-03-01' }, ctx)).rejects.toThrow(/--by must be one of/);
    await expect(costsCommand(store, { since: 'yesterday-ish' }, ctx)).rejects.toThrow(/--since "yesterday-ish" is not a date/);
  });
});
