import type { ArnScope } from '../../core/arn.js';
import { quotaArn, type QuotaDefinition } from '../../compute/quotas/index.js';
import type { QuotaRequestDoc } from './quota-requests.js';

export const SERVICE_CODE = 'sagemaker';
export const SERVICE_NAME = 'Amazon SageMaker';

/** A ServiceQuota as the model shapes it. */
export function toServiceQuota(def: QuotaDefinition, value: number, scope: ArnScope) {
  return {
    ServiceCode: SERVICE_CODE,
    ServiceName: SERVICE_NAME,
    QuotaArn: quotaArn(scope, def.code),
    QuotaCode: def.code,
    QuotaName: def.name,
    Value: value,
    Unit: 'None',
    Adjustable: true,
    GlobalQuota: false,
    QuotaAppliedAtLevel: 'ACCOUNT',
    Description: def.instanceType
      ? `The maximum number of ${def.instanceType} instances allowed at once for ${def.workload} in this account and region.`
      : `The maximum number of instances allowed at once across all ${def.workload} work in this account and region.`,
  };
}

/** A RequestedServiceQuotaChange as the model shapes it. */
export function toRequestedChange(id: string, r: QuotaRequestDoc, scope: ArnScope) {
  return {
    Id: id,
    ServiceCode: SERVICE_CODE,
    ServiceName: SERVICE_NAME,
    QuotaCode: r.quotaCode,
    QuotaName: r.quotaName,
    QuotaArn: quotaArn(scope, r.quotaCode),
    DesiredValue: r.desiredValue,
    Status: r.status,
    Created: new Date(r.created),
    LastUpdated: new Date(r.lastUpdated),
    Requester: JSON.stringify({ accountId: scope.accountId, callerArn: r.requester }),
    Unit: 'None',
    GlobalQuota: false,
    QuotaRequestedAtLevel: 'ACCOUNT',
  };
}
