import type { CreateTrainingJobCommandInput } from '@aws-sdk/client-sagemaker';

/** A minimal valid CreateTrainingJob request; override members per test. */
export function jobRequest(name: string, over: Partial<CreateTrainingJobCommandInput> = {}): CreateTrainingJobCommandInput {
  return {
    TrainingJobName: name,
    RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    AlgorithmSpecification: { TrainingImage: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3', TrainingInputMode: 'File' },
    InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://data/train/' } } }],
    OutputDataConfig: { S3OutputPath: 's3://out/models' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    ...over,
  };
}
