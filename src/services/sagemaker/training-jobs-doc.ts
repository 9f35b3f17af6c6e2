import { ServiceError, validationException } from '../../core/errors.js';
import type {
  AlgorithmSpecification,
  Channel,
  CheckpointConfig,
  ExperimentConfig,
  OutputDataConfig,
  ResourceConfig,
  RetryStrategy,
  VpcConfig,
} from '../../generated/types/sagemaker.js';

/** Resource kind of training jobs in the metadata store (id = TrainingJobName). */
export const TRAINING_JOB_KIND = 'training-job';

export type TrainingJobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped' | 'Deleting';

export interface StatusTransition {
  Status: string;
  /** Epoch ms. */
  StartTime: number;
  EndTime?: number;
  StatusMessage?: string;
}

/** Who the job is billed to, when the request says (Studio's sagemaker:* tags). */
export interface TrainingJobOwner {
  domainId?: string;
  userProfileName?: string;
  spaceName?: string;
}

/**
 * The stored document of a training job: DescribeTrainingJob's response members with timestamps
 * as epoch milliseconds, written by CreateTrainingJob (intent) and then by the training
 * controller (progress). `_clary` is bookkeeping that never goes on the wire.
 */
export interface TrainingJobDoc {
  TrainingJobName: string;
  TrainingJobArn: string;
  TrainingJobStatus: TrainingJobStatus;
  SecondaryStatus: string;
  SecondaryStatusTransitions: StatusTransition[];
  ModelArtifacts: { S3ModelArtifacts: string };
  StoppingCondition: { MaxRuntimeInSeconds: number; MaxWaitTimeInSeconds?: number; MaxPendingTimeInSeconds?: number };
  CreationTime: number;
  LastModifiedTime?: number;
  AlgorithmSpecification?: AlgorithmSpecification;
  RoleArn?: string;
  HyperParameters?: Record<string, string>;
  InputDataConfig?: Channel[];
  OutputDataConfig?: OutputDataConfig;
  ResourceConfig?: ResourceConfig & { InstanceType: string; InstanceCount: number; VolumeSizeInGB: number };
  VpcConfig?: VpcConfig;
  EnableNetworkIsolation?: boolean;
  EnableInterContainerTrafficEncryption?: boolean;
  EnableManagedSpotTraining?: boolean;
  CheckpointConfig?: CheckpointConfig;
  Environment?: Record<string, string>;
  RetryStrategy?: RetryStrategy;
  ExperimentConfig?: ExperimentConfig;
  // Set by the controller.
  FailureReason?: string;
  TrainingStartTime?: number;
  TrainingEndTime?: number;
  TrainingTimeInSeconds?: number;
  BillableTimeInSeconds?: number;
  FinalMetricDataList?: { MetricName?: string; Value?: number; Timestamp?: number }[];
  WarmPoolStatus?: { Status: string; ResourceRetainedBillableTimeInSeconds?: number; ReusedByJob?: string; [k: string]: unknown };
  TrainingPlanArn?: string;
  _clary?: { owner?: TrainingJobOwner; [k: string]: unknown };
}

/** Statuses a job never leaves (StopTrainingJob refuses them). */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Stopped', 'Deleting']);

/** What SageMaker answers for a training job that does not exist (not ResourceNotFound; waiters rely on it). */
export const trainingJobNotFound = (): ServiceError => validationException('Requested resource not found.');

export const trainingJobInUse = (arn: string): ServiceError =>
  new ServiceError(
    'ResourceInUse',
    `Training job names must be unique within an AWS account and region, and a training job with this name already exists (${arn})`,
    400,
  );

/** Epoch ms → Date, leaving undefined alone. */
const date = (ms: number | undefined): Date | undefined => (ms === undefined ? undefined : new Date(ms));

/**
 * The stored document as DescribeTrainingJob's output: required members always present,
 * timestamps as Dates, bookkeeping dropped, absent optional members left out.
 */
export function toDescribeOutput(doc: TrainingJobDoc, lastModifiedTime: number): Record<string, unknown> {
  const { _clary: _ignored, ...wire } = doc;
  const out: Record<string, unknown> = {
    ...wire,
    ModelArtifacts: { S3ModelArtifacts: doc.ModelArtifacts.S3ModelArtifacts },
    CreationTime: new Date(doc.CreationTime),
    LastModifiedTime: new Date(lastModifiedTime), // the store's, moved by every update
    TrainingStartTime: date(doc.TrainingStartTime),
    TrainingEndTime: date(doc.TrainingEndTime),
    SecondaryStatusTransitions: doc.SecondaryStatusTransitions.map((t) => ({ ...t, StartTime: new Date(t.StartTime), EndTime: date(t.EndTime) })),
    FinalMetricDataList: doc.FinalMetricDataList?.map((m) => ({ ...m, Timestamp: date(m.Timestamp) })),
  };
  delete out.TrainingPlanArn; // a ResourceConfig member in DescribeTrainingJob, a summary member in ListTrainingJobs
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}
