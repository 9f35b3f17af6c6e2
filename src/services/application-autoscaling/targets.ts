import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, StaleVersionError } from '../../core/errors.js';
import type { VariantScaler } from '../../controllers/autoscaling/variant-scaler.js';
import type { OperationHandler, Platform } from '../service.js';
import { concurrentUpdate, targetNotFound, validation } from './errors.js';
import { allOf, maxResults, pageOf } from './paging.js';
import { checkDimension, checkNamespace, checkTargetKey } from './resource-id.js';
import { POLICY_KIND, TARGET_KIND, targetId, targetOut, type ScalableTargetDoc, type SuspendedState } from './shapes.js';

interface TargetKey {
  ServiceNamespace: string;
  ResourceId: string;
  ScalableDimension: string;
}

const serviceLinkedRole = (p: Platform) =>
  `arn:aws:iam::${p.config.accountId}:role/aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`;

/** Runs a read-modify-write; a concurrent change or create is AAS's ConcurrentUpdateException. */
export async function concurrently<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StaleVersionError || e instanceof AlreadyExistsError) throw concurrentUpdate();
    throw e;
  }
}

/** RegisterScalableTarget: creates the target (MinCapacity and MaxCapacity required) or updates the members given. */
export function registerScalableTarget(scaler: VariantScaler | undefined): OperationHandler<TargetKey & { MinCapacity?: number; MaxCapacity?: number; RoleARN?: string; SuspendedState?: SuspendedState }, object> {
  return async (input, ctx) => {
    const { endpoint, variant } = checkTargetKey(input);
    const p = ctx.platform;
    const id = targetId(input.ResourceId, input.ScalableDimension);
    if (input.MinCapacity !== undefined && input.MinCapacity < 0) throw validation('MinCapacity must be greater than or equal to 0.');
    if (input.MaxCapacity !== undefined && input.MaxCapacity < 0) throw validation('MaxCapacity must be greater than or equal to 0.');
    return concurrently(async () => {
      const existing = await p.store.getResource<ScalableTargetDoc>(TARGET_KIND, id);
      if (existing) {
        const min = input.MinCapacity ?? existing.doc.MinCapacity;
        const max = input.MaxCapacity ?? existing.doc.MaxCapacity;
        if (min > max) throw validation(`Minimum capacity cannot be greater than maximum capacity (MinCapacity ${min}, MaxCapacity ${max}).`);
        const doc: ScalableTargetDoc = {
          ...existing.doc,
          MinCapacity: min,
          MaxCapacity: max,
          RoleARN: input.RoleARN ?? existing.doc.RoleARN,
          SuspendedState: { ...existing.doc.SuspendedState, ...(input.SuspendedState ?? {}) },
        };
        await p.store.updateResource(TARGET_KIND, id, existing.version, { doc, lastModifiedTime: p.now() });
        p.changed(TARGET_KIND);
        return { ScalableTargetARN: doc.ScalableTargetARN };
      }
      if (input.MinCapacity === undefined || input.MaxCapacity === undefined) {
        throw validation('MinCapacity and MaxCapacity are required when you register a new scalable target.');
      }
      if (input.MinCapacity > input.MaxCapacity) {
        throw validation(`Minimum capacity cannot be greater than maximum capacity (MinCapacity ${input.MinCapacity}, MaxCapacity ${input.MaxCapacity}).`);
      }
      if (scaler && (await scaler.currentCount(endpoint, variant)) === undefined) {
        throw validation(`The endpoint ${endpoint} with variant ${variant} does not exist: register a scalable target for an existing endpoint variant.`);
      }
      const now = p.now();
      const arn = `arn:aws:application-autoscaling:${p.config.region}:${p.config.accountId}:scalable-target/${randomBytes(16).toString('hex')}`;
      const doc: ScalableTargetDoc = {
        ServiceNamespace: 'sagemaker',
        ResourceId: input.ResourceId,
        ScalableDimension: input.ScalableDimension,
        MinCapacity: input.MinCapacity,
        MaxCapacity: input.MaxCapacity,
        RoleARN: input.RoleARN ?? serviceLinkedRole(p),
        CreationTime: now,
        ScalableTargetARN: arn,
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false, ...(input.SuspendedState ?? {}) },
      };
      await p.store.createResource({ kind: TARGET_KIND, id, name: input.ResourceId, arn, parent: null, status: null, creationTime: now, doc });
      p.changed(TARGET_KIND);
      return { ScalableTargetARN: arn };
    });
  };
}

export const describeScalableTargets: OperationHandler<{ ServiceNamespace: string; ResourceIds?: string[]; ScalableDimension?: string; MaxResults?: number; NextToken?: string }, object> = async (
  input,
  ctx,
) => {
  checkNamespace(input.ServiceNamespace);
  checkDimension(input.ScalableDimension);
  const limit = maxResults(input.MaxResults);
  const ids = input.ResourceIds && input.ResourceIds.length > 0 ? new Set(input.ResourceIds) : undefined;
  const all = (await allOf<ScalableTargetDoc>(ctx.platform.store, TARGET_KIND)).filter((r) => !ids || ids.has(r.doc.ResourceId));
  const page = pageOf(all, input.NextToken, limit);
  return { ScalableTargets: page.items.map((r) => targetOut(r.doc)), ...(page.NextToken ? { NextToken: page.NextToken } : {}) };
};

/** DeregisterScalableTarget: removes the target and its scaling policies (its activities stay, as on AWS). */
export const deregisterScalableTarget: OperationHandler<TargetKey, object> = async (input, ctx) => {
  checkTargetKey(input);
  const store = ctx.platform.store;
  const id = targetId(input.ResourceId, input.ScalableDimension);
  if (!(await store.getResource(TARGET_KIND, id))) throw targetNotFound(input.ResourceId, input.ScalableDimension);
  for (const p of await allOf(store, POLICY_KIND, id)) await store.deleteResource(POLICY_KIND, p.id);
  if (!(await store.deleteResource(TARGET_KIND, id))) throw targetNotFound(input.ResourceId, input.ScalableDimension);
  ctx.platform.changed(TARGET_KIND);
  return {};
};
