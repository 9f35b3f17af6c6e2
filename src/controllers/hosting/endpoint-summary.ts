import type { EndpointDoc, VariantSummaryDoc } from '../../services/sagemaker/endpoints-doc.js';
import type { EndpointInstance } from './endpoint-instance.js';

/**
 * DescribeEndpoint's ProductionVariants from what runs: the serving (deployed) fleet's variants,
 * or the fleet being created; current weight and count from the instances that serve, desired
 * ones from the intent; a VariantStatus entry while the variant is not simply serving.
 */
export function variantSummaries(doc: EndpointDoc, live: Iterable<EndpointInstance>, now: number): VariantSummaryDoc[] {
  const c = doc._clary;
  const shown = c.deployedConfig ?? c.desiredConfig;
  const fleet = c.fleets[shown] ?? c.fleets[c.desiredConfig] ?? [];
  const instances = [...live];
  const previous = new Map((doc.ProductionVariants ?? []).map((v) => [v.VariantName, v]));
  const status = doc.EndpointStatus === 'Creating' ? 'Creating' : doc.EndpointStatus === 'Updating' || doc.EndpointStatus === 'RollingBack' ? 'Updating' : doc.EndpointStatus === 'Deleting' ? 'Deleting' : undefined;
  return fleet.map((v) => {
    const serving = c.deployedConfig !== undefined;
    const healthy = instances.filter((i) => i.record.configName === shown && i.record.variant === v.VariantName && i.state === 'healthy').length;
    const intent = c.desired[v.VariantName];
    const weight = serving ? (c.deployedConfig === c.desiredConfig ? intent?.weight : c.deployedWeights?.[v.VariantName]) ?? v.InitialVariantWeight : 0;
    const prev = previous.get(v.VariantName);
    const image = v.model.container.Image ?? '';
    const out: VariantSummaryDoc = {
      VariantName: v.VariantName,
      DeployedImages: image ? [{ SpecifiedImage: image, ResolvedImage: image, ResolutionTime: prev?.DeployedImages[0]?.ResolutionTime ?? now }] : [],
      CurrentWeight: weight,
      DesiredWeight: intent?.weight ?? v.InitialVariantWeight,
      CurrentInstanceCount: healthy,
      DesiredInstanceCount: intent?.count ?? v.InitialInstanceCount,
    };
    if (status) {
      const before = prev?.VariantStatus?.[0];
      out.VariantStatus = [{ Status: status, StartTime: before?.Status === status ? before.StartTime : now }];
    }
    return out;
  });
}

/** Whether two summaries differ in anything but the times (to write the document only on change). */
export function summariesDiffer(a: VariantSummaryDoc[] | undefined, b: VariantSummaryDoc[]): boolean {
  const strip = (l: VariantSummaryDoc[] | undefined) => JSON.stringify((l ?? []).map((v) => ({ ...v, DeployedImages: v.DeployedImages.map((i) => i.SpecifiedImage), VariantStatus: v.VariantStatus?.map((s) => s.Status) })));
  return strip(a) !== strip(b);
}
