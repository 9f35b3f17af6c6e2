import { describe, expect, it } from 'vitest';
import { conditionContext } from './conditions.js';
import { evaluatePolicies } from './evaluate.js';
import { parsePolicy } from './policy-document.js';
import { requestConditionKeys } from './sagemaker-condition-keys.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };
const keys = (op: string, input: unknown) => requestConditionKeys(op, input, scope);

describe('requestConditionKeys', () => {
  it('CreateTrainingJob: instance types of ResourceConfig and its instance groups, network and KMS settings', () => {
    const k = keys('CreateTrainingJob', {
      TrainingJobName: 'j',
      ResourceConfig: { InstanceGroups: [{ InstanceType: 'ml.p3.2xlarge', InstanceCount: 1, InstanceGroupName: 'a' }, { InstanceType: 'ml.m5.large', InstanceCount: 2, InstanceGroupName: 'b' }], VolumeKmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/k', KeepAlivePeriodInSeconds: 60 },
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: false,
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
      OutputDataConfig: { S3OutputPath: 's3://b/o', KmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/o' },
      VpcConfig: { Subnets: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'] },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { FileSystemDataSource: { FileSystemId: 'fs-1', FileSystemAccessMode: 'ro', FileSystemType: 'EFS', DirectoryPath: '/d' } } }],
      RemoteDebugConfig: { EnableRemoteDebug: false },
      Tags: [{ Key: 'team', Value: 'ml' }],
    });
    expect(k).toEqual({
      'sagemaker:InstanceTypes': ['ml.p3.2xlarge', 'ml.m5.large'],
      'sagemaker:NetworkIsolation': ['true'],
      'sagemaker:InterContainerTrafficEncryption': ['false'],
      'sagemaker:MaxRuntimeInSeconds': ['3600'],
      'sagemaker:VolumeKmsKey': ['arn:aws:kms:us-east-1:000000000000:key/k'],
      'sagemaker:VolumeKmsKeyArn': ['arn:aws:kms:us-east-1:000000000000:key/k'],
      'sagemaker:OutputKmsKey': ['arn:aws:kms:us-east-1:000000000000:key/o'],
      'sagemaker:OutputKmsKeyArn': ['arn:aws:kms:us-east-1:000000000000:key/o'],
      'sagemaker:VpcSubnets': ['subnet-1', 'subnet-2'],
      'sagemaker:VpcSecurityGroupIds': ['sg-1'],
      'sagemaker:FileSystemId': ['fs-1'],
      'sagemaker:FileSystemAccessMode': ['ro'],
      'sagemaker:FileSystemType': ['EFS'],
      'sagemaker:FileSystemDirectoryPath': ['/d'],
      'sagemaker:KeepAlivePeriod': '60',
      'sagemaker:EnableRemoteDebug': 'false',
      'aws:RequestTag/team': 'ml',
      'aws:TagKeys': ['team'],
    });
  });

  it('leaves out what the request does not carry', () => {
    expect(keys('CreateTrainingJob', { TrainingJobName: 'j', ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1 } })).toEqual({ 'sagemaker:InstanceTypes': ['ml.m5.large'] });
    expect(keys('CreateModel', { ModelName: 'm' })).toEqual({});
    expect(keys('DescribeTrainingJob', { TrainingJobName: 'j' })).toEqual({});
  });

  it('Studio: every InstanceType, image and lifecycle configuration in the (default) resource specs', () => {
    expect(keys('CreateApp', { DomainId: 'd-1', UserProfileName: 'u', AppType: 'JupyterLab', AppName: 'default', ResourceSpec: { InstanceType: 'ml.g5.xlarge', SageMakerImageArn: 'arn:aws:sagemaker:us-east-1:000000000000:image/i', LifecycleConfigArn: 'arn:aws:sagemaker:us-east-1:000000000000:studio-lifecycle-config/l' } })).toEqual({
      'sagemaker:InstanceTypes': ['ml.g5.xlarge'],
      'sagemaker:ImageArns': ['arn:aws:sagemaker:us-east-1:000000000000:image/i'],
      'sagemaker:StudioLifecycleConfigArns': ['arn:aws:sagemaker:us-east-1:000000000000:studio-lifecycle-config/l'],
    });
    const domain = keys('CreateDomain', {
      DomainName: 'd',
      AuthMode: 'IAM',
      SubnetIds: ['subnet-a'],
      AppNetworkAccessType: 'VpcOnly',
      DefaultUserSettings: {
        ExecutionRole: 'arn:aws:iam::000000000000:role/r',
        SecurityGroups: ['sg-u'],
        JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.t3.medium' }, LifecycleConfigArns: ['arn:l1'] },
        KernelGatewayAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.p3.2xlarge' } },
      },
      DefaultSpaceSettings: { JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } } },
    });
    expect(domain['sagemaker:InstanceTypes']).toEqual(['ml.t3.medium', 'ml.p3.2xlarge']);
    expect(domain['sagemaker:StudioLifecycleConfigArns']).toEqual(['arn:l1']);
    expect(domain['sagemaker:VpcSubnets']).toEqual(['subnet-a']);
    expect(domain['sagemaker:VpcSecurityGroupIds']).toEqual(['sg-u']);
    expect(domain['sagemaker:AppNetworkAccessType']).toBe('VpcOnly');
    expect(keys('CreateSpace', { DomainId: 'd-1', SpaceName: 's', SpaceSettings: { RemoteAccess: 'ENABLED', CodeEditorAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.m5.large' } } } })).toEqual({
      'sagemaker:InstanceTypes': ['ml.m5.large'],
      'sagemaker:RemoteAccess': 'ENABLED',
    });
  });

  it('hosting and batch: variants, models as ARNs, serverless settings', () => {
    expect(
      keys('CreateEndpointConfig', {
        EndpointConfigName: 'c',
        ProductionVariants: [
          { VariantName: 'a', ModelName: 'Model-A', InstanceType: 'ml.g4dn.xlarge', InitialInstanceCount: 1, AcceleratorType: 'ml.eia2.medium' },
          { VariantName: 'b', ModelName: 'm-b', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 5 } },
        ],
        EnableNetworkIsolation: false,
      }),
    ).toEqual({
      'sagemaker:InstanceTypes': ['ml.g4dn.xlarge'],
      'sagemaker:AcceleratorTypes': ['ml.eia2.medium'],
      'sagemaker:ModelArn': ['arn:aws:sagemaker:us-east-1:000000000000:model/model-a', 'arn:aws:sagemaker:us-east-1:000000000000:model/m-b'],
      'sagemaker:ServerlessMaxConcurrency': ['5'],
      'sagemaker:ServerlessMemorySize': ['2048'],
      'sagemaker:NetworkIsolation': 'false',
    });
    expect(keys('CreateTransformJob', { TransformJobName: 't', ModelName: 'm', TransformResources: { InstanceType: 'ml.c5.xlarge', InstanceCount: 1 } })).toEqual({
      'sagemaker:InstanceTypes': 'ml.c5.xlarge',
      'sagemaker:ModelArn': 'arn:aws:sagemaker:us-east-1:000000000000:model/m',
    });
  });

  it('tags: aws:RequestTag/<key> and aws:TagKeys from Tags; DeleteTags gives aws:TagKeys', () => {
    expect(keys('AddTags', { ResourceArn: 'arn', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '' }] })).toEqual({ 'aws:RequestTag/a': '1', 'aws:RequestTag/b': '', 'aws:TagKeys': ['a', 'b'] });
    expect(keys('DeleteTags', { ResourceArn: 'arn', TagKeys: ['a'] })).toEqual({ 'aws:TagKeys': ['a'] });
  });

  it('never throws on input the model has not validated yet', () => {
    for (const input of [null, 'x', 42, [], { ResourceConfig: 'x', Tags: 'y' }, { ProductionVariants: [null, 1, { InstanceType: 7 }] }, { Tags: [null, { Key: 1 }] }]) {
      for (const op of ['CreateTrainingJob', 'CreateEndpointConfig', 'CreateDomain', 'CreateApp', 'AddTags', 'DeleteTags', 'CreateHyperParameterTuningJob']) {
        expect(() => keys(op, input)).not.toThrow();
      }
    }
    const deep: Record<string, unknown> = {};
    let cur = deep;
    for (let n = 0; n < 5000; n++) cur = (cur.x = {}) as Record<string, unknown>;
    expect(() => keys('CreateDomain', deep)).not.toThrow();
  });
});

describe('the keys in policies', () => {
  const policy = parsePolicy(
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' },
        { Effect: 'Deny', Action: ['sagemaker:CreateTrainingJob', 'sagemaker:CreateApp'], Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'sagemaker:InstanceTypes': ['ml.p*', 'ml.g*'] } } },
      ],
    }),
  );
  const outcome = (input: unknown) =>
    evaluatePolicies([policy], { action: 'sagemaker:CreateTrainingJob', resource: 'arn:aws:sagemaker:us-east-1:000000000000:training-job/j', context: conditionContext(keys('CreateTrainingJob', input)) });

  it('ForAnyValue:StringLike on sagemaker:InstanceTypes denies GPU instance types, alone or in a group', () => {
    expect(outcome({ TrainingJobName: 'j', ResourceConfig: { InstanceType: 'ml.p3.2xlarge' } })).toBe('ExplicitDeny');
    expect(outcome({ TrainingJobName: 'j', ResourceConfig: { InstanceGroups: [{ InstanceType: 'ml.m5.large' }, { InstanceType: 'ml.g5.xlarge' }] } })).toBe('ExplicitDeny');
    expect(outcome({ TrainingJobName: 'j', ResourceConfig: { InstanceType: 'ml.m5.large' } })).toBe('Allow');
    expect(outcome({ TrainingJobName: 'j' })).toBe('Allow');
  });
});
