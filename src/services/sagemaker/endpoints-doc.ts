import { ServiceError, validationException } from '../../core/errors.js';
import type { AsyncInferenceConfig, DataCaptureConfig, DeploymentConfig } from '../../generated/types/sagemaker.js';
import type { InstanceHandle, OutputCursor } from '../../runners/runner.js';
import type { FleetVariant } from './endpoints-fleet.js';

/** Resource kind of endpoints in the metadata store (id = EndpointName). */
export const ENDPOINT_KIND = 'endpoint';

export type EndpointStatus = 'Creating' | 'Updating' | 'RollingBack' | 'InService' | 'Deleting' | 'Failed';

/** What a variant should be: its weight and instance count (UpdateEndpointWeightsAndCapacities and the autoscaler change them). */
export interface VariantIntent {
  weight: number;
  count: number;
}

/** One instance of an endpoint as the controller records it (so a restarted Clary reattaches it). */
export interface EndpointInstanceRecord {
  /** i-<hex>: the log stream is `<variant>/<id>`. */
  id: string;
  variant: string;
  /** The endpoint configuration whose fleet it belongs to. */
  configName: string;
  modelName: string;
  instanceType: string;
  port: number;
  /** The runner's handle; absent until the sandbox has started. */
  handle?: InstanceHandle;
  allocationId: string;
  cursor?: OutputCursor;
  startedAt: number;
}

/** Bookkeeping of an endpoint: never on the wire. */
export interface EndpointBookkeeping {
  /** The configuration and variant weights/counts the endpoint should run. */
  desiredConfig: string;
  desired: Record<string, VariantIntent>;
  /** The configuration whose fleet serves traffic (absent until the first fleet is healthy). */
  deployedConfig?: string;
  /** The weights the deployed fleet serves with. */
  deployedWeights?: Record<string, number>;
  /** The variants (with their model) of the desired and the deployed configuration. */
  fleets: Record<string, FleetVariant[]>;
  /** Every instance that exists for the endpoint (both fleets during an update). */
  instances: EndpointInstanceRecord[];
}

/** DescribeEndpoint's members (timestamps epoch ms) and the controller's bookkeeping. */
export interface EndpointDoc {
  EndpointName: string;
  EndpointArn: string;
  EndpointConfigName: string;
  EndpointStatus: EndpointStatus;
  FailureReason?: string;
  CreationTime: number;
  LastModifiedTime: number;
  ProductionVariants?: VariantSummaryDoc[];
  DataCaptureConfig?: DataCaptureConfig;
  /** Copied from the configuration at CreateEndpoint: InvokeEndpointAsync's output paths and concurrency. */
  AsyncInferenceConfig?: AsyncInferenceConfig;
  LastDeploymentConfig?: DeploymentConfig;
  _clary: EndpointBookkeeping;
}

export interface VariantSummaryDoc {
  VariantName: string;
  DeployedImages: { SpecifiedImage: string; ResolvedImage: string; ResolutionTime: number }[];
  CurrentWeight: number;
  DesiredWeight: number;
  CurrentInstanceCount: number;
  DesiredInstanceCount: number;
  VariantStatus?: { Status: string; StatusMessage?: string; StartTime: number }[];
}

export const endpointNotFound = (name: string): ServiceError => validationException(`Could not find endpoint "${name}".`);

export const endpointExists = (arn: string): ServiceError => validationException(`Cannot create already existing endpoint "${arn}".`);

export function toDescribeEndpoint(doc: EndpointDoc, lastModifiedTime: number): Record<string, unknown> {
  const dc = doc.DataCaptureConfig;
  const out: Record<string, unknown> = {
    EndpointName: doc.EndpointName,
    EndpointArn: doc.EndpointArn,
    EndpointConfigName: doc.EndpointConfigName,
    ProductionVariants: doc.ProductionVariants?.map((v) => ({
      ...v,
      DeployedImages: v.DeployedImages.map((i) => ({ ...i, ResolutionTime: new Date(i.ResolutionTime) })),
      VariantStatus: v.VariantStatus?.map((s) => ({ ...s, StartTime: new Date(s.StartTime) })),
    })),
    DataCaptureConfig: dc && {
      EnableCapture: dc.EnableCapture ?? true,
      CaptureStatus: dc.EnableCapture === false ? 'Stopped' : 'Started',
      CurrentSamplingPercentage: dc.InitialSamplingPercentage,
      DestinationS3Uri: dc.DestinationS3Uri,
      KmsKeyId: dc.KmsKeyId ?? '',
    },
    EndpointStatus: doc.EndpointStatus,
    FailureReason: doc.FailureReason,
    CreationTime: new Date(doc.CreationTime),
    LastModifiedTime: new Date(lastModifiedTime),
    LastDeploymentConfig: doc.LastDeploymentConfig,
    AsyncInferenceConfig: doc.AsyncInferenceConfig,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
