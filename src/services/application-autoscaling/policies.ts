import { randomUUID } from 'node:crypto';
import type { OperationHandler } from '../service.js';
import { objectNotFound, targetNotFound, validation } from './errors.js';
import { allOf, maxResults, pageOf } from './paging.js';
import { checkTargetTracking } from './policy-config.js';
import { checkDimension, checkNamespace, checkTargetKey } from './resource-id.js';
import { POLICY_KIND, TARGET_KIND, policyId, targetId, type ScalingPolicyDoc, type TargetTrackingConfiguration } from './shapes.js';
import { concurrently } from './targets.js';

interface PolicyKey {
  PolicyName: string;
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

const policyOut = (d: ScalingPolicyDoc) => ({ ...d, CreationTime: new Date(d.CreationTime) });

/**
 * PutScalingPolicy: target tracking only. Step scaling and predictive scaling are driven by
 * CloudWatch alarms and forecasts, which Clary does not have: they are refused, clearly.
 */
export const putScalingPolicy: OperationHandler<PolicyKey & { PolicyType?: string; TargetTrackingScalingPolicyConfiguration?: TargetTrackingConfiguration }, object> = async (
  input,
  ctx,
) => {
  checkTargetKey(input);
  const type = input.PolicyType ?? 'StepScaling';
  if (type !== 'TargetTrackingScaling') {
    throw validation(
      `Clary does not support ${type} policies (they act on CloudWatch alarms${type === 'PredictiveScaling' ? ' and forecasts' : ''}, which Clary does not have). Use PolicyType TargetTrackingScaling.`,
    );
  }
  const config = checkTargetTracking(input.TargetTrackingScalingPolicyConfiguration);
  const p = ctx.platform;
  const tid = targetId(input.ResourceId, input.ScalableDimension);
  if (!(await p.store.getResource(TARGET_KIND, tid))) throw targetNotFound(input.ResourceId, input.ScalableDimension);
  const id = policyId(tid, input.PolicyName);
  return concurrently(async () => {
    const existing = await p.store.getResource<ScalingPolicyDoc>(POLICY_KIND, id);
    if (existing) {
      const doc: ScalingPolicyDoc = { ...existing.doc, TargetTrackingScalingPolicyConfiguration: config };
      await p.store.updateResource(POLICY_KIND, id, existing.version, { doc, lastModifiedTime: p.now() });
      p.changed(TARGET_KIND);
      return { PolicyARN: doc.PolicyARN, Alarms: doc.Alarms };
    }
    const now = p.now();
    const arn = `arn:aws:autoscaling:${p.config.region}:${p.config.accountId}:scalingPolicy:${randomUUID()}:resource/sagemaker/${input.ResourceId}:policyName/${input.PolicyName}`;
    const doc: ScalingPolicyDoc = {
      PolicyARN: arn,
      PolicyName: input.PolicyName,
      ServiceNamespace: 'sagemaker',
      ResourceId: input.ResourceId,
      ScalableDimension: input.ScalableDimension,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: config,
      // Clary's autoscaler evaluates the metric itself: there are no CloudWatch alarms to name.
      Alarms: [],
      CreationTime: now,
    };
    await p.store.createResource({ kind: POLICY_KIND, id, name: input.PolicyName, arn, parent: tid, status: null, creationTime: now, doc });
    p.changed(TARGET_KIND);
    return { PolicyARN: arn, Alarms: [] };
  });
};

export const describeScalingPolicies: OperationHandler<
  { ServiceNamespace: string; PolicyNames?: string[]; ResourceId?: string; ScalableDimension?: string; MaxResults?: number; NextToken?: string },
  object
> = async (input, ctx) => {
  checkNamespace(input.ServiceNamespace);
  checkDimension(input.ScalableDimension);
  const limit = maxResults(input.MaxResults);
  const names = input.PolicyNames && input.PolicyNames.length > 0 ? new Set(input.PolicyNames) : undefined;
  const all = (await allOf<ScalingPolicyDoc>(ctx.platform.store, POLICY_KIND))
    .map((r) => r.doc)
    .filter((d) => (!names || names.has(d.PolicyName)) && (input.ResourceId === undefined || d.ResourceId === input.ResourceId))
    .sort((a, b) => (a.ResourceId === b.ResourceId ? (a.PolicyName < b.PolicyName ? -1 : 1) : a.ResourceId < b.ResourceId ? -1 : 1));
  const page = pageOf(all, input.NextToken, limit);
  return { ScalingPolicies: page.items.map(policyOut), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
};

export const deleteScalingPolicy: OperationHandler<PolicyKey, object> = async (input, ctx) => {
  checkTargetKey(input);
  const id = policyId(targetId(input.ResourceId, input.ScalableDimension), input.PolicyName);
  if (!(await ctx.platform.store.deleteResource(POLICY_KIND, id))) {
    throw objectNotFound(`No scaling policy found for service namespace: sagemaker, resource ID: ${input.ResourceId}, scalable dimension: ${input.ScalableDimension}, policy name: ${input.PolicyName}`);
  }
  ctx.platform.changed(TARGET_KIND);
  return {};
};
