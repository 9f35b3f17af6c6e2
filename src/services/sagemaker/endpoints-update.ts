import { validationException } from '../../core/errors.js';
import type { UpdateEndpointInput } from '../../generated/types/sagemaker.js';
import type { OperationHandler } from '../service.js';
import { ENDPOINT_CONFIG_KIND, endpointConfigNotFound, type EndpointConfigDoc } from './endpoint-configs-doc.js';
import { intentOf } from './endpoints-create.js';
import { ENDPOINT_KIND, endpointNotFound, type EndpointDoc, type VariantIntent } from './endpoints-doc.js';
import { checkEndpointQuota, countByType } from './endpoints-quota.js';
import { updateEndpoint } from './endpoints-store.js';
import { fleetOf } from './endpoints-fleet.js';

/** SageMaker refuses to change an endpoint that is not InService. */
export function assertUpdatable(doc: EndpointDoc): void {
  if (doc.EndpointStatus === 'InService') return;
  if (doc.EndpointStatus === 'Failed') throw validationException(`Cannot update failed endpoint "${doc.EndpointArn}".`);
  throw validationException(`Cannot update in-progress endpoint "${doc.EndpointArn}".`);
}

/** The new configuration's intent; RetainAllVariantProperties keeps the running variants' weights and counts. */
function nextIntent(input: UpdateEndpointInput, doc: EndpointDoc, cfg: EndpointConfigDoc): Record<string, VariantIntent> {
  const next = intentOf(cfg);
  if (!input.RetainAllVariantProperties) return next;
  const excluded = new Set((input.ExcludeRetainedVariantProperties ?? []).map((p) => p.VariantPropertyType));
  for (const [name, intent] of Object.entries(next)) {
    const current = doc._clary.desired[name];
    if (!current) continue;
    if (!excluded.has('DesiredWeight')) intent.weight = current.weight;
    if (!excluded.has('DesiredInstanceCount')) intent.count = current.count;
  }
  return next;
}

/**
 * UpdateEndpoint: blue/green. The endpoint goes Updating; the controller starts the new
 * configuration's fleet next to the old one, switches traffic once every new instance answers
 * /ping, then stops the old fleet. A new fleet that fails is stopped and the old one keeps serving.
 */
export const updateEndpointHandler: OperationHandler<UpdateEndpointInput> = async (input, ctx) => {
  const { store, config } = ctx.platform;
  const current = await store.getResource<EndpointDoc>(ENDPOINT_KIND, input.EndpointName);
  if (!current) throw endpointNotFound(input.EndpointName);
  assertUpdatable(current.doc);
  const cfg = await store.getResource<EndpointConfigDoc>(ENDPOINT_CONFIG_KIND, input.EndpointConfigName);
  if (!cfg) throw endpointConfigNotFound(input.EndpointConfigName);
  const intent = nextIntent(input, current.doc, cfg.doc);
  const types = new Map(cfg.doc.ProductionVariants.map((v) => [v.VariantName, v.InstanceType]));
  await checkEndpointQuota(store, countByType(Object.entries(intent).map(([v, i]) => ({ type: types.get(v)!, count: i.count }))), config.quotas);
  const fleet = await fleetOf(store, config, cfg.doc);
  const now = ctx.platform.now();
  const doc = await updateEndpoint(store, input.EndpointName, (d) => {
    assertUpdatable(d);
    d.EndpointStatus = 'Updating';
    delete d.FailureReason;
    d._clary.desiredConfig = input.EndpointConfigName;
    d._clary.desired = intent;
    // Keep only the deployed fleet's spec and the new one.
    const keep = d._clary.deployedConfig;
    d._clary.fleets = { ...(keep && d._clary.fleets[keep] ? { [keep]: d._clary.fleets[keep]! } : {}), [input.EndpointConfigName]: fleet };
    if (input.DeploymentConfig) d.LastDeploymentConfig = input.DeploymentConfig;
    else if (!input.RetainDeploymentConfig) delete d.LastDeploymentConfig;
    return d;
  }, now);
  if (!doc) throw endpointNotFound(input.EndpointName);
  ctx.platform.changed(ENDPOINT_KIND);
  return { EndpointArn: doc.EndpointArn };
};

