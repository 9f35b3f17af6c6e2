/**
 * A training job as stored: DescribeTrainingJob's members (timestamps as epoch ms), plus what the
 * controller needs to pick the job up again after a restart (`_clary`).
 */
export interface ChannelDoc {
  ChannelName: string;
  DataSource: { S3DataSource?: { S3DataType: string; S3Uri: string; S3DataDistributionType?: string } };
  ContentType?: string;
  CompressionType?: string;
  RecordWrapperType?: string;
  InputMode?: string;
}

export interface TrainingJobState {
  TrainingJobName: string;
  TrainingJobArn: string;
  TrainingJobStatus: 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';
  SecondaryStatus: string;
  SecondaryStatusTransitions?: { Status: string; StartTime: number; EndTime?: number; StatusMessage?: string }[];
  AlgorithmSpecification: {
    TrainingImage?: string;
    TrainingInputMode: string;
    MetricDefinitions?: { Name: string; Regex: string }[];
    ContainerEntrypoint?: string[];
    ContainerArguments?: string[];
  };
  RoleArn: string;
  HyperParameters?: Record<string, string>;
  InputDataConfig?: ChannelDoc[];
  OutputDataConfig: { S3OutputPath: string; CompressionType?: string };
  ResourceConfig: { InstanceType: string; InstanceCount: number; VolumeSizeInGB?: number };
  StoppingCondition: { MaxRuntimeInSeconds?: number };
  Environment?: Record<string, string>;
  EnableNetworkIsolation?: boolean;
  CheckpointConfig?: { S3Uri: string; LocalPath?: string };
  ModelArtifacts: { S3ModelArtifacts: string };
  FailureReason?: string;
  TrainingStartTime?: number;
  TrainingEndTime?: number;
  TrainingTimeInSeconds?: number;
  BillableTimeInSeconds?: number;
  FinalMetricDataList?: { MetricName: string; Value: number; Timestamp: number }[];
  CreationTime: number;
  LastModifiedTime?: number;
  /** Controller bookkeeping, never sent on the wire. */
  _clary?: {
    /** Runner handles of the running instances, for reattach after a restart. */
    handles?: unknown[];
    /** Why the job is waiting, shown in the status message. */
    waiting?: string;
  };
}
