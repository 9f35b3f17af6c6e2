import { validationException } from '../../core/errors.js';
import { checkQuota } from '../../compute/quotas/index.js';
import { ENDPOINT_KIND, endpointNotFound, type EndpointDoc } from '../../services/sagemaker/endpoints-doc.js';
import { updateEndpoint } from '../../services/sagemaker/endpoints-store.js';
import type { Platform } from '../../services/service.js';

/** A variant's instance counts: what should run, and how many instances serve now. */
export interface VariantInstanceCounts {
  readonly variantName: string;
  readonly desiredInstanceCount: number;
  readonly currentInstanceCount: number;
  readonly currentWeight: number;
}

/**
 * For the autoscaler (Application Auto Scaling's `sagemaker:variant:DesiredInstanceCount`): records
 * the variant's new desired count in the endpoint's document and nudges the hosting controller,
 * which starts (then routes to) or stops instances; the endpoint stays InService throughout (an
 * instance is only routed to once it answers /ping). Checks the endpoint-usage quota for an
 * increase. Throws SageMaker's ValidationException for an endpoint or variant that does not exist,
 * or an endpoint that is not InService (being created, updated or deleted).
 */
export async function setVariantDesiredInstanceCount(platform: Platform, endpointName: string, variantName: string, count: number): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw validationException(`DesiredInstanceCount must be an integer of at least 1 (got ${count}).`);
  const rec = await platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, endpointName);
  if (!rec) throw endpointNotFound(endpointName);
  const check = (d: EndpointDoc) => {
    if (d.EndpointStatus !== 'InService') throw validationException(`Cannot update in-progress endpoint "${d.EndpointArn}".`);
    if (!d._clary.desired[variantName]) throw validationException(`The variant name(s) [${variantName}] is/are not present in the endpoint "${d.EndpointArn}".`);
  };
  check(rec.doc);
  const delta = count - rec.doc._clary.desired[variantName]!.count;
  const type = rec.doc._clary.fleets[rec.doc._clary.desiredConfig]?.find((v) => v.VariantName === variantName)?.InstanceType;
  if (delta > 0 && type) await checkQuota(platform.store, { workload: 'hosting', instanceType: type, delta, defaults: platform.config.quotas });
  await updateEndpoint(platform.store, endpointName, (d) => {
    check(d);
    if (d._clary.desired[variantName]!.count === count) return undefined;
    d._clary.desired[variantName]!.count = count;
    return d;
  }, platform.now());
  platform.changed(ENDPOINT_KIND);
}

/** Every variant's desired and current instance counts (current = instances that answer /ping and take traffic). */
export async function getVariantInstanceCounts(platform: Platform, endpointName: string): Promise<VariantInstanceCounts[]> {
  const rec = await platform.store.getResource<EndpointDoc>(ENDPOINT_KIND, endpointName);
  if (!rec) throw endpointNotFound(endpointName);
  return (rec.doc.ProductionVariants ?? []).map((v) => ({
    variantName: v.VariantName,
    desiredInstanceCount: rec.doc._clary.desired[v.VariantName]?.count ?? v.DesiredInstanceCount,
    currentInstanceCount: v.CurrentInstanceCount,
    currentWeight: v.CurrentWeight,
  }));
}
