export { checkQuota, type QuotaCheck } from './check-quota.js';
export { DEFAULT_QUOTA_DEFAULTS, isAccelerated, validateQuotaDefaults, type QuotaDefaults } from './quota-defaults.js';
export { findQuota, quotaTable, type QuotaDefinition, type QuotaTable } from './quota-definitions.js';
export { quotaExceeded } from './quota-exceeded.js';
export { AGGREGATE_NAMES, CATALOG_WORKLOAD, isQuotaWorkload, perTypeQuotaName, QUOTA_WORKLOADS, quotaCode, type QuotaWorkload } from './quota-names.js';
export { appliedValue, getOverride, listOverrides, parseQuotaValue, QUOTA_KIND, quotaArn, setQuotaValue, type QuotaOverrideDoc } from './quota-values.js';
