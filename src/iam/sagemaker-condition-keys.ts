import { sagemakerArn, type ArnScope } from '../core/arn.js';

/**
 * SageMaker's service-specific condition keys (and aws:RequestTag / aws:TagKeys), computed from a
 * request's input as the Service Authorization Reference ("Actions, resources, and condition keys
 * for Amazon SageMaker AI") assigns them to actions. One table: operation → the keys it supplies,
 * each a function of the parsed (not yet validated) input. A key whose value the request does not
 * carry is left out, so `…IfExists` and `Null` behave as in AWS. The keys that need the store
 * (resource tags, a space's sharing type and owner) are added by sagemaker-condition-context.ts.
 */
export type ConditionValues = Record<string, string | string[]>;
type KeyFn = (input: Obj, scope: ArnScope) => string | string[] | undefined;
type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const at = (o: unknown, ...path: string[]): unknown => path.reduce<unknown>((cur, k) => obj(cur)?.[k], o);
const bool = (v: unknown): string | undefined => (typeof v === 'boolean' ? String(v) : undefined);
const num = (v: unknown): string | undefined => (typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
/** A multi-valued key: its distinct string values, or absent when there are none. */
const many = (values: Iterable<unknown>): string[] | undefined => {
  const out = [...new Set([...values].filter((v): v is string => typeof v === 'string' && v !== ''))];
  return out.length ? out : undefined;
};

/**
 * Every value of the named members anywhere in the input (ResourceSpec.InstanceType,
 * DefaultUserSettings.JupyterLabAppSettings.DefaultResourceSpec.InstanceType,
 * ProductionVariants[].InstanceType, ResourceConfig.InstanceGroups[].InstanceType …): "the list of all
 * instance types associated with the resource in the request". Bounded in depth and size.
 */
function collect(input: unknown, names: readonly string[]): unknown[] {
  const out: unknown[] = [];
  let budget = 10_000;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 12 || --budget < 0 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (names.includes(k)) {
        if (Array.isArray(x)) out.push(...x);
        else out.push(x);
      } else walk(x, depth + 1);
    }
  };
  walk(input, 0);
  return out;
}

const deep = (...names: string[]): KeyFn => (input) => many(collect(input, names));
const first = (...fns: ((i: Obj) => unknown)[]): ((i: Obj) => string | undefined) => (i) => {
  for (const f of fns) {
    const v = str(f(i));
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
};

const instanceTypes = deep('InstanceType');
const imageArns = deep('SageMakerImageArn');
const imageVersionArns = deep('SageMakerImageVersionArn');
const lifecycleConfigArns = deep('LifecycleConfigArn', 'LifecycleConfigArns');
const securityGroups = deep('SecurityGroupIds', 'SecurityGroups');
const subnets = deep('Subnets', 'SubnetIds');
const tagKeys: KeyFn = (i) => many(list(i.Tags).map((t) => obj(t)?.Key));
const sharingKmsKey: KeyFn = (i) => many(collect(i, ['SharingSettings']).map((s) => at(s, 'S3KmsKeyId')));

/** A training job's definition: CreateTrainingJob's input itself, a tuning job's TrainingJobDefinition(s). */
const trainingDefinitions = (i: Obj): unknown[] =>
  'TrainingJobDefinition' in i || 'TrainingJobDefinitions' in i ? [i.TrainingJobDefinition, ...list(i.TrainingJobDefinitions)].filter(Boolean) : [i];
const fromDefinitions = (f: (d: unknown) => unknown): KeyFn => (i) => many(trainingDefinitions(i).map(f).map((v) => (typeof v === 'boolean' || typeof v === 'number' ? String(v) : v)));
const fileSystems = (i: Obj) => trainingDefinitions(i).flatMap((d) => list(at(d, 'InputDataConfig')).map((c) => at(c, 'DataSource', 'FileSystemDataSource')));
const fileSystem = (member: string): KeyFn => (i) => many(fileSystems(i).map((f) => at(f, member)));

const studioKeys = {
  'sagemaker:InstanceTypes': instanceTypes,
  'sagemaker:ImageArns': imageArns,
  'sagemaker:ImageVersionArns': imageVersionArns,
  'sagemaker:StudioLifecycleConfigArns': lifecycleConfigArns,
} satisfies Record<string, KeyFn>;

const domainKeys = {
  ...studioKeys,
  'sagemaker:AppNetworkAccessType': (i) => str(i.AppNetworkAccessType),
  'sagemaker:VpcSubnets': (i) => many(list(i.SubnetIds)),
  'sagemaker:VpcSecurityGroupIds': securityGroups,
  'sagemaker:DomainSharingOutputKmsKeyArn': sharingKmsKey,
  'sagemaker:VolumeKmsKeyArn': first((i) => i.KmsKeyId, (i) => i.HomeEfsFileSystemKmsKeyId),
  'sagemaker:VolumeKmsKey': first((i) => i.KmsKeyId, (i) => i.HomeEfsFileSystemKmsKeyId),
  'sagemaker:HomeEfsFileSystemKmsKey': first((i) => i.HomeEfsFileSystemKmsKeyId, (i) => i.KmsKeyId),
} satisfies Record<string, KeyFn>;

const userProfileKeys = {
  ...studioKeys,
  'sagemaker:VpcSecurityGroupIds': securityGroups,
  'sagemaker:DomainSharingOutputKmsKeyArn': sharingKmsKey,
} satisfies Record<string, KeyFn>;

const spaceKeys = {
  ...studioKeys,
  'sagemaker:RemoteAccess': (i) => str(at(i, 'SpaceSettings', 'RemoteAccess')),
} satisfies Record<string, KeyFn>;

const trainingKeys = {
  'sagemaker:InstanceTypes': (i) => many(trainingDefinitions(i).flatMap((d) => collect(at(d, 'ResourceConfig'), ['InstanceType']))),
  'sagemaker:NetworkIsolation': fromDefinitions((d) => at(d, 'EnableNetworkIsolation')),
  'sagemaker:InterContainerTrafficEncryption': fromDefinitions((d) => at(d, 'EnableInterContainerTrafficEncryption')),
  'sagemaker:MaxRuntimeInSeconds': fromDefinitions((d) => at(d, 'StoppingCondition', 'MaxRuntimeInSeconds')),
  'sagemaker:VolumeKmsKey': fromDefinitions((d) => at(d, 'ResourceConfig', 'VolumeKmsKeyId')),
  'sagemaker:VolumeKmsKeyArn': fromDefinitions((d) => at(d, 'ResourceConfig', 'VolumeKmsKeyId')),
  'sagemaker:OutputKmsKey': fromDefinitions((d) => at(d, 'OutputDataConfig', 'KmsKeyId')),
  'sagemaker:OutputKmsKeyArn': fromDefinitions((d) => at(d, 'OutputDataConfig', 'KmsKeyId')),
  'sagemaker:VpcSubnets': (i) => many(trainingDefinitions(i).flatMap((d) => list(at(d, 'VpcConfig', 'Subnets')))),
  'sagemaker:VpcSecurityGroupIds': (i) => many(trainingDefinitions(i).flatMap((d) => list(at(d, 'VpcConfig', 'SecurityGroupIds')))),
  'sagemaker:FileSystemId': fileSystem('FileSystemId'),
  'sagemaker:FileSystemAccessMode': fileSystem('FileSystemAccessMode'),
  'sagemaker:FileSystemType': fileSystem('FileSystemType'),
  'sagemaker:FileSystemDirectoryPath': fileSystem('DirectoryPath'),
} satisfies Record<string, KeyFn>;

const variants = (i: Obj) => [...list(i.ProductionVariants), ...list(i.ShadowProductionVariants)];

/** operation → its keys. The reference's other SageMaker actions get only the global keys. */
export const SAGEMAKER_CONDITION_KEYS: Readonly<Record<string, Readonly<Record<string, KeyFn>>>> = {
  CreateApp: studioKeys,
  CreateDomain: domainKeys,
  UpdateDomain: {
    ...studioKeys,
    'sagemaker:AppNetworkAccessType': (i) => str(i.AppNetworkAccessType),
    'sagemaker:VpcSubnets': (i) => many(list(i.SubnetIds)),
    'sagemaker:VpcSecurityGroupIds': securityGroups,
    'sagemaker:DomainSharingOutputKmsKeyArn': sharingKmsKey,
  },
  CreateUserProfile: userProfileKeys,
  UpdateUserProfile: userProfileKeys,
  CreateSpace: spaceKeys,
  UpdateSpace: spaceKeys,
  CreateTrainingJob: {
    ...trainingKeys,
    'sagemaker:KeepAlivePeriod': (i) => num(at(i, 'ResourceConfig', 'KeepAlivePeriodInSeconds')),
    'sagemaker:EnableRemoteDebug': (i) => bool(at(i, 'RemoteDebugConfig', 'EnableRemoteDebug')),
  },
  UpdateTrainingJob: {
    'sagemaker:InstanceTypes': (i) => many(collect(at(i, 'ResourceConfig'), ['InstanceType'])),
    'sagemaker:KeepAlivePeriod': (i) => num(at(i, 'ResourceConfig', 'KeepAlivePeriodInSeconds')),
    'sagemaker:EnableRemoteDebug': (i) => bool(at(i, 'RemoteDebugConfig', 'EnableRemoteDebug')),
  },
  CreateHyperParameterTuningJob: trainingKeys,
  CreateProcessingJob: {
    'sagemaker:InstanceTypes': (i) => str(at(i, 'ProcessingResources', 'ClusterConfig', 'InstanceType')),
    'sagemaker:NetworkIsolation': (i) => bool(at(i, 'NetworkConfig', 'EnableNetworkIsolation')),
    'sagemaker:InterContainerTrafficEncryption': (i) => bool(at(i, 'NetworkConfig', 'EnableInterContainerTrafficEncryption')),
    'sagemaker:MaxRuntimeInSeconds': (i) => num(at(i, 'StoppingCondition', 'MaxRuntimeInSeconds')),
    'sagemaker:VolumeKmsKey': (i) => str(at(i, 'ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId')),
    'sagemaker:VolumeKmsKeyArn': (i) => str(at(i, 'ProcessingResources', 'ClusterConfig', 'VolumeKmsKeyId')),
    'sagemaker:OutputKmsKey': (i) => str(at(i, 'ProcessingOutputConfig', 'KmsKeyId')),
    'sagemaker:OutputKmsKeyArn': (i) => str(at(i, 'ProcessingOutputConfig', 'KmsKeyId')),
    'sagemaker:VpcSubnets': (i) => many(list(at(i, 'NetworkConfig', 'VpcConfig', 'Subnets'))),
    'sagemaker:VpcSecurityGroupIds': (i) => many(list(at(i, 'NetworkConfig', 'VpcConfig', 'SecurityGroupIds'))),
  },
  CreateEndpointConfig: {
    'sagemaker:InstanceTypes': (i) => many(variants(i).flatMap((v) => collect(v, ['InstanceType']))),
    'sagemaker:AcceleratorTypes': (i) => many(variants(i).map((v) => at(v, 'AcceleratorType'))),
    'sagemaker:ModelArn': (i, scope) => many(variants(i).map((v) => str(at(v, 'ModelName'))).map((n) => n && sagemakerArn(scope, 'model', n))),
    'sagemaker:ServerlessMaxConcurrency': (i) => many(variants(i).map((v) => num(at(v, 'ServerlessConfig', 'MaxConcurrency')))),
    'sagemaker:ServerlessMemorySize': (i) => many(variants(i).map((v) => num(at(v, 'ServerlessConfig', 'MemorySizeInMB')))),
    'sagemaker:NetworkIsolation': (i) => bool(i.EnableNetworkIsolation),
    'sagemaker:VolumeKmsKey': (i) => str(i.KmsKeyId),
    'sagemaker:VolumeKmsKeyArn': (i) => str(i.KmsKeyId),
    'sagemaker:VpcSubnets': (i) => many(list(at(i, 'VpcConfig', 'Subnets'))),
    'sagemaker:VpcSecurityGroupIds': (i) => many(list(at(i, 'VpcConfig', 'SecurityGroupIds'))),
  },
  CreateModel: {
    'sagemaker:NetworkIsolation': (i) => bool(i.EnableNetworkIsolation),
    'sagemaker:VpcSubnets': (i) => many(list(at(i, 'VpcConfig', 'Subnets'))),
    'sagemaker:VpcSecurityGroupIds': (i) => many(list(at(i, 'VpcConfig', 'SecurityGroupIds'))),
  },
  CreateTransformJob: {
    'sagemaker:InstanceTypes': (i) => str(at(i, 'TransformResources', 'InstanceType')),
    'sagemaker:ModelArn': (i, scope) => {
      const n = str(i.ModelName);
      return n ? sagemakerArn(scope, 'model', n) : undefined;
    },
    'sagemaker:VolumeKmsKey': (i) => str(at(i, 'TransformResources', 'VolumeKmsKeyId')),
    'sagemaker:VolumeKmsKeyArn': (i) => str(at(i, 'TransformResources', 'VolumeKmsKeyId')),
    'sagemaker:OutputKmsKey': (i) => str(at(i, 'TransformOutput', 'KmsKeyId')),
    'sagemaker:OutputKmsKeyArn': (i) => str(at(i, 'TransformOutput', 'KmsKeyId')),
  },
  CreateNotebookInstance: {
    'sagemaker:InstanceTypes': (i) => str(i.InstanceType),
    'sagemaker:AcceleratorTypes': (i) => many(list(i.AcceleratorTypes)),
    'sagemaker:RootAccess': (i) => str(i.RootAccess),
    'sagemaker:DirectInternetAccess': (i) => str(i.DirectInternetAccess),
    'sagemaker:VolumeKmsKey': (i) => str(i.KmsKeyId),
    'sagemaker:VolumeKmsKeyArn': (i) => str(i.KmsKeyId),
    'sagemaker:VpcSubnets': (i) => many([i.SubnetId]),
    'sagemaker:VpcSecurityGroupIds': (i) => many(list(i.SecurityGroupIds)),
  },
  UpdateNotebookInstance: {
    'sagemaker:InstanceTypes': (i) => str(i.InstanceType),
    'sagemaker:AcceleratorTypes': (i) => many(list(i.AcceleratorTypes)),
    'sagemaker:RootAccess': (i) => str(i.RootAccess),
  },
};

/**
 * aws:RequestTag/<key> and aws:TagKeys from the request's Tags (every Create* operation that takes
 * Tags, and AddTags); aws:TagKeys from DeleteTags' TagKeys.
 */
export function requestTagKeys(operation: string, input: Obj): ConditionValues {
  const out: ConditionValues = {};
  if (operation === 'DeleteTags') {
    const keys = many(list(input.TagKeys));
    if (keys) out['aws:TagKeys'] = keys;
    return out;
  }
  if (!Array.isArray(input.Tags)) return out;
  for (const t of input.Tags) {
    const key = str(obj(t)?.Key);
    const value = str(obj(t)?.Value);
    if (key !== undefined && value !== undefined) out[`aws:RequestTag/${key}`] = value;
  }
  const keys = tagKeys(input, { region: '', accountId: '' });
  if (keys) out['aws:TagKeys'] = keys;
  return out;
}

/** The keys of SAGEMAKER_CONDITION_KEYS and the request tags, for one operation's input. */
export function requestConditionKeys(operation: string, input: unknown, scope: ArnScope): ConditionValues {
  const i = obj(input);
  if (!i) return {};
  const out = requestTagKeys(operation, i);
  const keys = SAGEMAKER_CONDITION_KEYS[operation];
  if (!keys) return out;
  for (const [name, fn] of Object.entries(keys)) {
    const v = fn(i, scope);
    if (v !== undefined && v !== '') out[name] = v;
  }
  return out;
}
