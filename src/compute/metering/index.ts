export { ALLOCATION_KIND, allocationParent, type Allocation, type AllocationDoc, type AllocationOwner, type AllocationStatus } from './allocation.js';
export { billableSeconds, instanceSeconds, type TimeWindow } from './billable.js';
export { BUDGET_KIND, budgetId, budgetStatus, checkBudget, deleteBudget, getBudget, setBudget, type BudgetDoc, type BudgetOwner, type BudgetScope, type BudgetStatus, type SetBudget } from './budgets.js';
export { localUsdPerHour, NO_LOCAL_COST, sageMakerUsdPerHour, type LocalCostRate } from './cost-rates.js';
export { allocationsOverlapping, COST_KEYS, costKey, summarizeCosts, type CostKey, type CostQuery, type CostRow, type CostSummary } from './costs.js';
export {
  activeUtilization,
  closeOpenAllocations,
  endAllocation,
  getAllocation,
  listOpenAllocations,
  startAllocation,
  type AllocationFilter,
  type StartAllocation,
} from './ledger.js';
export { monthBounds, monthOf, parseMonth } from './month.js';
