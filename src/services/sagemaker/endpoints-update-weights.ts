import { validationException } from '../../core/errors.js';
import type { UpdateEndpointWeightsAndCapacitiesInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_KIND, endpointNotFound, type EndpointDoc } from './endpoints-doc.js';
import { checkEndpointQuota } from './endpoints-quota.js';
import { updateEndpoint } from './endpoints-store.js';
import { assertUpdatable } from './endpoints-update.js';

/**
 * UpdateEndpointWeightsAndCapacities: the endpoint goes Updating; weights apply at once, instance
 * counts by starting (then routing to) or stopping instances; then InService again.
 */
export const updateEndpointWeightsAndCapacities: OperationHandler<UpdateEndpointWeightsAndCapacitiesInput> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const current = await store.getResource<EndpointDoc>(ENDPOINT_KIND, input.EndpointName);
  if (!current) throw endpointNotFound(input.EndpointName);
  assertUpdatable(current.doc);
  const desired = current.doc._clary.desired;
  const missing = input.DesiredWeightsAndCapacities.filter((d) => !desired[d.VariantName]).map((d) => d.VariantName);
  if (missing.length) throw validationException(`The variant name(s) [${missing.join(', ')}] is/are not present in the endpoint "${current.doc.EndpointArn}".`);
  const names = input.DesiredWeightsAndCapacities.map((d) => d.VariantName);
  if (new Set(names).size !== names.length) throw validationException('Each variant may appear only once in DesiredWeightsAndCapacities.');
  for (const d of input.DesiredWeightsAndCapacities) {
    if (d.ServerlessUpdateConfig) throw validationException(`Variant ${d.VariantName} is not a serverless variant: ServerlessUpdateConfig does not apply.`);
    if (d.DesiredInstanceCount === 0) throw validationException(`DesiredInstanceCount for variant ${d.VariantName} must be at least 1.`);
    if (d.DesiredWeight === undefined && d.DesiredInstanceCount === undefined) {
      throw validationException(`Specify DesiredWeight, DesiredInstanceCount or both for variant ${d.VariantName}.`);
    }
  }
  const fleet = current.doc._clary.fleets[current.doc._clary.desiredConfig] ?? [];
  const typeOf = new Map(fleet.map((v) => [v.VariantName, v.InstanceType]));
  const add = new Map<string, number>();
  for (const d of input.DesiredWeightsAndCapacities) {
    const type = typeOf.get(d.VariantName);
    const delta = (d.DesiredInstanceCount ?? desired[d.VariantName]!.count) - desired[d.VariantName]!.count;
    if (type && delta > 0) add.set(type, (add.get(type) ?? 0) + delta);
  }
  await checkEndpointQuota(store, add, config.quotas);
  const doc = await updateEndpoint(store, input.EndpointName, (d) => {
    assertUpdatable(d);
    d.EndpointStatus = 'Updating';
    delete d.FailureReason;
    for (const w of input.DesiredWeightsAndCapacities) {
      const intent = d._clary.desired[w.VariantName]!;
      if (w.DesiredWeight !== undefined) intent.weight = w.DesiredWeight;
      if (w.DesiredInstanceCount !== undefined) intent.count = w.DesiredInstanceCount;
    }
    return d;
  }, ctx.platform.now());
  if (!doc) throw endpointNotFound(input.EndpointName);
  ctx.platform.changed(ENDPOINT_KIND);
  return { EndpointArn: doc.EndpointArn };
};
