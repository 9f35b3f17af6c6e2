import { ServiceError, validationException } from '../../core/errors.js';
import type {
  BatchDataCaptureConfig,
  DataProcessing,
  ExperimentConfig,
  ModelClientConfig,
  TransformInput,
  TransformOutput,
  TransformResources,
} from '../../generated/types/sagemaker.js';

/** Resource kind of transform jobs in the metadata store (id = TransformJobName). */
export const TRANSFORM_JOB_KIND = 'transform-job';

export type TransformJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

/** Statuses a transform job never leaves. */
export const TRANSFORM_TERMINAL: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Stopped']);

/**
 * The stored document of a transform job: DescribeTransformJob's members (timestamps epoch ms),
 * written by CreateTransformJob (intent) and the transform controller (progress). `_clary` is
 * bookkeeping that never goes on the wire.
 */
export interface TransformJobDoc {
  TransformJobName: string;
  TransformJobArn: string;
  TransformJobStatus: TransformJobStatus;
  FailureReason?: string;
  ModelName: string;
  MaxConcurrentTransforms?: number;
  ModelClientConfig?: ModelClientConfig;
  MaxPayloadInMB?: number;
  BatchStrategy?: 'MultiRecord' | 'SingleRecord';
  Environment?: Record<string, string>;
  TransformInput: TransformInput;
  TransformOutput: TransformOutput;
  DataCaptureConfig?: BatchDataCaptureConfig;
  TransformResources: TransformResources & { InstanceType: string; InstanceCount: number };
  CreationTime: number;
  TransformStartTime?: number;
  TransformEndTime?: number;
  DataProcessing?: DataProcessing;
  ExperimentConfig?: ExperimentConfig;
  _clary?: { attempts?: number; [k: string]: unknown };
}

/** What SageMaker answers for a transform job that does not exist. */
export const transformJobNotFound = (name: string): ServiceError => validationException(`Could not find requested job with name ${name}`);

export const transformJobInUse = (arn: string): ServiceError =>
  new ServiceError('ResourceInUse', `Job name must be unique within an AWS account and region, and a job with this name already exists (${arn})`, 400);

const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/** The stored document as DescribeTransformJob's output. */
export function toDescribeTransformJob(doc: TransformJobDoc): Record<string, unknown> {
  const { _clary: _ignored, ...wire } = doc;
  const out: Record<string, unknown> = {
    ...wire,
    CreationTime: new Date(doc.CreationTime),
    TransformStartTime: date(doc.TransformStartTime),
    TransformEndTime: date(doc.TransformEndTime),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
