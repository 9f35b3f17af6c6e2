import { ServiceError, validationException } from '../../core/errors.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import type { LocalCostRate } from './cost-rates.js';
import { summarizeCosts } from './costs.js';
import { monthBounds, monthOf, parseMonth } from './month.js';

/**
 * Monthly spending budgets per Studio user profile and per domain, in USD at SageMaker's list
 * price (what the same work would cost on AWS). A budget applies from its first month on, every
 * month; new work is refused once the month's spend reaches it.
 */
export const BUDGET_KIND = 'budget';

export type BudgetScope = { readonly scope: 'user'; readonly domainId: string; readonly userProfileName: string } | { readonly scope: 'domain'; readonly domainId: string };

export interface BudgetDoc {
  readonly usdPerMonth: number;
  /** First month the budget applies, "YYYY-MM" (UTC). */
  readonly fromMonth: string;
  /** Recorded for controllers: stop running work (not only refuse new work) once exhausted. */
  readonly stopRunningWork: boolean;
  readonly target: BudgetScope;
}

export interface SetBudget {
  readonly target: BudgetScope;
  /** Number or text; must be a non-negative amount. */
  readonly usdPerMonth: unknown;
  /** "YYYY-MM"; default the current month. A past month is refused. */
  readonly fromMonth?: string;
  readonly stopRunningWork?: boolean;
}

export const budgetId = (t: BudgetScope): string => (t.scope === 'user' ? `user:${t.domainId}/${t.userProfileName}` : `domain:${t.domainId}`);
const describe = (t: BudgetScope): string => (t.scope === 'user' ? `user ${t.userProfileName} (domain ${t.domainId})` : `domain ${t.domainId}`);
const usd = (n: number): string => `$${n.toFixed(2)}`;

function parseAmount(raw: unknown): number {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const n = text === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) throw validationException(`Budget amount "${String(raw)}" is not a number of US dollars.`);
  if (n < 0) throw validationException(`Budget amount ${text} is negative.`);
  return n;
}

export async function setBudget(store: MetadataStore, b: SetBudget, now: number): Promise<BudgetDoc> {
  const usdPerMonth = parseAmount(b.usdPerMonth);
  const fromMonth = b.fromMonth === undefined ? monthOf(now) : parseMonth(b.fromMonth);
  if (fromMonth < monthOf(now)) throw validationException(`Budget month ${fromMonth} is in the past; budgets start this month (${monthOf(now)}) or later.`);
  if (!b.target.domainId || (b.target.scope === 'user' && !b.target.userProfileName)) throw validationException('A budget names a domain id, and a user profile name for a user budget.');
  const doc: BudgetDoc = { usdPerMonth, fromMonth, stopRunningWork: b.stopRunningWork ?? false, target: b.target };
  const id = budgetId(b.target);
  const existing = await store.getResource<BudgetDoc>(BUDGET_KIND, id);
  if (existing) {
    await store.updateResource(BUDGET_KIND, id, existing.version, { doc, lastModifiedTime: now });
  } else {
    await store.createResource({ kind: BUDGET_KIND, id, name: id, arn: '', parent: b.target.domainId, status: null, creationTime: now, lastModifiedTime: now, doc });
  }
  return doc;
}

export async function getBudget(store: MetadataStore, target: BudgetScope): Promise<BudgetDoc | undefined> {
  return (await store.getResource<BudgetDoc>(BUDGET_KIND, budgetId(target)))?.doc;
}

export const deleteBudget = (store: MetadataStore, target: BudgetScope): Promise<boolean> => store.deleteResource(BUDGET_KIND, budgetId(target));

export interface BudgetStatus {
  readonly target: BudgetScope;
  readonly usdPerMonth: number;
  readonly spentUsd: number;
  readonly exhausted: boolean;
  readonly stopRunningWork: boolean;
}

export interface BudgetOwner {
  readonly domainId?: string;
  readonly userProfileName?: string;
}

/** This month's spend against every budget that applies to the owner (user's, then domain's). */
export async function budgetStatus(store: MetadataStore, owner: BudgetOwner, now: number, pricing: { region: string; local?: LocalCostRate }): Promise<BudgetStatus[]> {
  if (!owner.domainId) return [];
  const targets: BudgetScope[] = [];
  if (owner.userProfileName) targets.push({ scope: 'user', domainId: owner.domainId, userProfileName: owner.userProfileName });
  targets.push({ scope: 'domain', domainId: owner.domainId });
  const month = monthBounds(now);
  const out: BudgetStatus[] = [];
  for (const target of targets) {
    const b = await getBudget(store, target);
    if (!b || b.fromMonth > monthOf(now)) continue;
    const by = target.scope === 'user' ? 'user' : 'domain';
    const key = target.scope === 'user' ? `${target.domainId}/${target.userProfileName}` : target.domainId;
    const summary = await summarizeCosts(store, { by, since: month.start, until: month.end, region: pricing.region, local: pricing.local, now });
    const spentUsd = summary.rows.find((r) => r.key === key)?.sageMakerUsd ?? 0;
    out.push({ target, usdPerMonth: b.usdPerMonth, spentUsd, exhausted: spentUsd >= b.usdPerMonth, stopRunningWork: b.stopRunningWork });
  }
  return out;
}

/** Refuses new work for an owner whose user or domain budget is exhausted this month. */
export async function checkBudget(store: MetadataStore, owner: BudgetOwner, now: number, pricing: { region: string; local?: LocalCostRate }): Promise<BudgetStatus[]> {
  const statuses = await budgetStatus(store, owner, now, pricing);
  const over = statuses.find((s) => s.exhausted);
  if (over) {
    throw new ServiceError(
      'ResourceLimitExceeded',
      `Budget of ${usd(over.usdPerMonth)} for ${describe(over.target)} is exhausted this month (${usd(over.spentUsd)} spent). ` +
        'New work is refused until the budget is raised or the month ends.',
      400,
    );
  }
  return statuses;
}
