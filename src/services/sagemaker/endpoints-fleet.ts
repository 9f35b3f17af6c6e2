import { sagemakerArn, type ArnScope } from '../../core/arn.js';
import type { ContainerDefinition } from '../../generated/types/sagemaker.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import type { EndpointConfigDoc, StoredVariant } from './endpoint-configs-doc.js';
import { MODEL_KIND, modelNotFound, servingContainer, type ModelDoc } from './models-doc.js';

/**
 * What an endpoint runs for one variant, copied from its configuration and model when the
 * endpoint is created or updated: as on SageMaker, deleting the model or the configuration
 * afterwards does not stop (or break the replacement of) the endpoint's instances.
 */
export interface FleetVariant extends StoredVariant {
  model: { container: ContainerDefinition; enableNetworkIsolation: boolean; creationTime: number };
}

export async function fleetOf(store: MetadataStore, scope: ArnScope, config: EndpointConfigDoc): Promise<FleetVariant[]> {
  const out: FleetVariant[] = [];
  for (const v of config.ProductionVariants) {
    const rec = await store.getResource<ModelDoc>(MODEL_KIND, v.ModelName);
    const container = rec && servingContainer(rec.doc);
    if (!rec || !container) throw modelNotFound(sagemakerArn(scope, 'model', v.ModelName));
    out.push({ ...v, model: { container, enableNetworkIsolation: rec.doc.EnableNetworkIsolation || config.EnableNetworkIsolation === true, creationTime: rec.doc.CreationTime } });
  }
  return out;
}
