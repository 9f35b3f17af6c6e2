/**
 * SageMaker's condition keys in IAM policies, through the real AWS SDK for JavaScript with real
 * credentials (docs/iam.md, "SageMaker condition keys"): a role session fenced off GPU instance
 * types by sagemaker:InstanceTypes, tag rules by aws:RequestTag / sagemaker:ResourceTag, and Studio
 * user profiles fenced by sagemaker:SpaceSharingType, sagemaker:OwnerUserProfileArn,
 * sagemaker:UserProfileName and aws:SourceIp.
 */
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  AddTagsCommand, CreateAppCommand, CreateDomainCommand, CreateModelCommand, CreatePresignedDomainUrlCommand, CreateSpaceCommand,
  CreateTrainingJobCommand, CreateUserProfileCommand, DeleteModelCommand, DescribeModelCommand, DescribeSpaceCommand, SageMakerClient,
  ListAppsCommand, UpdateSpaceCommand, type CreateTrainingJobCommandInput,
} from '@aws-sdk/client-sagemaker';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersCredentialsCommand } from '../../src/cli/users.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: { iam: IAMClient; sts: STSClient; sm: SageMakerClient };
const clients: { destroy(): void }[] = [];
const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
const SAGEMAKER_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
function client<T extends { destroy(): void }>(C: new (c: object) => T, credentials: Creds): T {
  const c = new C({ ...server.clientConfig, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function role(RoleName: string, trust: string, document: string): Promise<void> {
  await admin.iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: trust }));
  await admin.iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: 'p', PolicyDocument: document }));
}

async function sessionOf(RoleName: string): Promise<SageMakerClient> {
  const out = await admin.sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${RoleName}`, RoleSessionName: 'sess' }));
  const c = out.Credentials!;
  return client(SageMakerClient, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const denied = (principal: string, action: string, resource: string) => ({
  code: 'AccessDeniedException',
  status: 400,
  message: `User: ${principal} is not authorized to perform: sagemaker:${action} on resource: ${resource} with an explicit deny in an identity-based policy`,
});
const notAllowed = (principal: string, action: string, resource: string) => ({
  code: 'AccessDeniedException',
  status: 400,
  message: `User: ${principal} is not authorized to perform: sagemaker:${action} on resource: ${resource} because no identity-based policy allows the sagemaker:${action} action`,
});

beforeAll(async () => {
  server = await startTestServer();
  admin = { iam: client(IAMClient, server.credentials), sts: client(STSClient, server.credentials), sm: client(SageMakerClient, server.credentials) };
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
});

describe('sagemaker:InstanceTypes', () => {
  const session = 'arn:aws:sts::000000000000:assumed-role/no-gpus/sess';
  let sm: SageMakerClient;
  beforeAll(async () => {
    await role(
      'no-gpus',
      ACCOUNT_TRUST,
      policy(
        { Effect: 'Allow', Action: ['sagemaker:*', 'iam:PassRole'], Resource: '*' },
        { Effect: 'Deny', Action: ['sagemaker:CreateTrainingJob', 'sagemaker:CreateApp'], Resource: '*', Condition: { 'ForAnyValue:StringLike': { 'sagemaker:InstanceTypes': ['ml.p*', 'ml.g*'] } } },
      ),
    );
    sm = await sessionOf('no-gpus');
  });

  const job = (name: string, ResourceConfig: CreateTrainingJobCommandInput['ResourceConfig']): CreateTrainingJobCommandInput => ({
    TrainingJobName: name,
    AlgorithmSpecification: { TrainingImage: 'clary/none:latest', TrainingInputMode: 'File' },
    RoleArn: 'arn:aws:iam::000000000000:role/no-gpus',
    OutputDataConfig: { S3OutputPath: 's3://out/x' },
    ResourceConfig,
    StoppingCondition: { MaxRuntimeInSeconds: 60 },
  });

  it('denies CreateTrainingJob on ml.p3.2xlarge (or a GPU instance group) with the explicit-deny message', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:training-job/gpu-job';
    expect(await failure(sm.send(new CreateTrainingJobCommand(job('gpu-job', { InstanceType: 'ml.p3.2xlarge', InstanceCount: 1, VolumeSizeInGB: 1 }))))).toEqual(denied(session, 'CreateTrainingJob', arn));
    const groups = job('gpu-job', {
      InstanceGroups: [{ InstanceGroupName: 'cpu', InstanceType: 'ml.m5.large', InstanceCount: 1 }, { InstanceGroupName: 'gpu', InstanceType: 'ml.g5.xlarge', InstanceCount: 1 }],
      VolumeSizeInGB: 1,
    });
    expect(await failure(sm.send(new CreateTrainingJobCommand(groups)))).toEqual(denied(session, 'CreateTrainingJob', arn));
  });

  it('lets ml.m5.large past authorization (here the model then refuses the request for its missing OutputDataConfig)', async () => {
    const input = job('cpu-job', { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 }) as Partial<CreateTrainingJobCommandInput>;
    delete input.OutputDataConfig;
    const e = await failure(sm.send(new CreateTrainingJobCommand(input as CreateTrainingJobCommandInput)));
    expect(e.code).toBe('ValidationException');
    expect(e.message).toMatch(/outputDataConfig/i);
  });

  it('denies CreateApp on ml.g* instance types; ml.t3.medium gets past authorization to the handler', async () => {
    const app = { DomainId: 'd-nothere0000', UserProfileName: 'u', AppType: 'JupyterLab' as const, AppName: 'default' };
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:app/d-nothere0000/u/jupyterlab/default';
    expect(await failure(sm.send(new CreateAppCommand({ ...app, ResourceSpec: { InstanceType: 'ml.g5.xlarge' } })))).toEqual(denied(session, 'CreateApp', arn));
    const e = await failure(sm.send(new CreateAppCommand({ ...app, ResourceSpec: { InstanceType: 'ml.t3.medium' } })));
    expect(e.code).not.toBe('AccessDeniedException');
    expect(e.code).toBe('ResourceNotFound');
  });
});

describe('aws:RequestTag and sagemaker:ResourceTag', () => {
  const session = 'arn:aws:sts::000000000000:assumed-role/tagger/sess';
  const model = (ModelName: string, Tags?: { Key: string; Value: string }[]) => ({
    ModelName,
    ExecutionRoleArn: 'arn:aws:iam::000000000000:role/tagger',
    PrimaryContainer: { Image: 'clary/none:latest' },
    Tags,
  });
  let sm: SageMakerClient;
  beforeAll(async () => {
    await role(
      'tagger',
      ACCOUNT_TRUST,
      policy(
        { Effect: 'Allow', Action: ['sagemaker:*', 'iam:PassRole'], Resource: '*' },
        { Effect: 'Deny', Action: 'sagemaker:CreateModel', Resource: '*', Condition: { StringNotEquals: { 'aws:RequestTag/team': 'ml' } } },
        { Effect: 'Deny', Action: 'sagemaker:CreateModel', Resource: '*', Condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['team', 'protected'] } } },
        { Effect: 'Deny', Action: ['sagemaker:DeleteModel', 'sagemaker:AddTags'], Resource: '*', Condition: { StringEquals: { 'sagemaker:ResourceTag/protected': 'yes' } } },
      ),
    );
    sm = await sessionOf('tagger');
  });

  it('CreateModel needs the tag team=ml and no other tag keys', async () => {
    const arn = (n: string) => `arn:aws:sagemaker:us-east-1:000000000000:model/${n}`;
    expect(await failure(sm.send(new CreateModelCommand(model('untagged'))))).toEqual(denied(session, 'CreateModel', arn('untagged')));
    expect(await failure(sm.send(new CreateModelCommand(model('wrong-team', [{ Key: 'team', Value: 'web' }]))))).toEqual(denied(session, 'CreateModel', arn('wrong-team')));
    expect(await failure(sm.send(new CreateModelCommand(model('extra-key', [{ Key: 'team', Value: 'ml' }, { Key: 'cost', Value: '1' }]))))).toEqual(denied(session, 'CreateModel', arn('extra-key')));
    expect((await sm.send(new CreateModelCommand(model('ok', [{ Key: 'team', Value: 'ml' }])))).ModelArn).toBe(arn('ok'));
  });

  it('a model tagged protected=yes cannot be deleted or re-tagged by the session; others can', async () => {
    await admin.sm.send(new CreateModelCommand(model('keep', [{ Key: 'protected', Value: 'yes' }])));
    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:model/keep';
    expect(await failure(sm.send(new DeleteModelCommand({ ModelName: 'keep' })))).toEqual(denied(session, 'DeleteModel', arn));
    expect(await failure(sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'protected', Value: 'no' }] })))).toEqual(denied(session, 'AddTags', arn));
    expect((await sm.send(new DescribeModelCommand({ ModelName: 'keep' }))).ModelName).toBe('keep');
    await sm.send(new DeleteModelCommand({ ModelName: 'ok' }));
  });
});

describe('Studio: sagemaker:SpaceSharingType, OwnerUserProfileArn, UserProfileName and aws:SourceIp', () => {
  let domainId: string;
  let alice: SageMakerClient;
  let bob: SageMakerClient;
  const keysOf = async (user: string) => {
    const text = await usersCredentialsCommand(server.app.platform.store, server.app.platform.config, domainId, user, {});
    return { accessKeyId: /aws_access_key_id = (\S+)/.exec(text)![1]!, secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)![1]! };
  };
  beforeAll(async () => {
    await role(
      'studio-shared-only',
      SAGEMAKER_TRUST,
      policy(
        { Effect: 'Allow', Action: ['sagemaker:Describe*', 'sagemaker:List*'], Resource: '*' },
        { Effect: 'Allow', Action: ['sagemaker:UpdateSpace', 'sagemaker:CreateApp', 'sagemaker:DeleteApp'], Resource: '*', Condition: { StringEquals: { 'sagemaker:SpaceSharingType': 'Shared' } } },
        { Effect: 'Allow', Action: 'sagemaker:UpdateSpace', Resource: '*', Condition: { ArnLike: { 'sagemaker:OwnerUserProfileArn': 'arn:aws:sagemaker:*:*:user-profile/*/alice' } } },
        {
          Effect: 'Allow',
          Action: 'sagemaker:CreatePresignedDomainUrl',
          Resource: 'arn:aws:sagemaker:us-east-1:000000000000:user-profile/${sagemaker:DomainId}/${sagemaker:UserProfileName}',
          Condition: { StringEquals: { 'sagemaker:UserProfileName': 'alice' } },
        },
        { Effect: 'Deny', Action: 'sagemaker:DescribeSpace', Resource: '*', Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
        { Effect: 'Deny', Action: 'sagemaker:ListApps', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
      ),
    );
    domainId = (await admin.sm.send(new CreateDomainCommand({ DomainName: 'fenced', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/studio-shared-only' } }))).DomainId!;
    for (const u of ['alice', 'bob']) {
      await admin.sm.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: u }));
      await admin.sm.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: `${u}-private`, SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: u } }));
    }
    await admin.sm.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'team', SpaceSharingSettings: { SharingType: 'Shared' } }));
    alice = client(SageMakerClient, await keysOf('alice'));
    bob = client(SageMakerClient, await keysOf('bob'));
  });

  it('UpdateSpace: allowed on the shared space, on a private space only for its owner as the policy names it', async () => {
    await bob.send(new UpdateSpaceCommand({ DomainId: domainId, SpaceName: 'team', SpaceDisplayName: 'Team' }));
    expect((await bob.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'team' }))).SpaceDisplayName).toBe('Team');
    await alice.send(new UpdateSpaceCommand({ DomainId: domainId, SpaceName: 'alice-private', SpaceDisplayName: 'Mine' }));
    const bobArn = `arn:aws:sagemaker:us-east-1:000000000000:user-profile/${domainId}/bob`;
    expect(await failure(bob.send(new UpdateSpaceCommand({ DomainId: domainId, SpaceName: 'bob-private', SpaceDisplayName: 'x' })))).toEqual(
      notAllowed(bobArn, 'UpdateSpace', `arn:aws:sagemaker:us-east-1:000000000000:space/${domainId}/bob-private`),
    );
  });

  it('CreateApp in a private space is denied; in the shared space it gets past authorization', async () => {
    const aliceArn = `arn:aws:sagemaker:us-east-1:000000000000:user-profile/${domainId}/alice`;
    expect(await failure(alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'alice-private', AppType: 'JupyterLab', AppName: 'default' })))).toEqual(
      notAllowed(aliceArn, 'CreateApp', `arn:aws:sagemaker:us-east-1:000000000000:app/${domainId}/alice-private/jupyterlab/default`),
    );
    // An app type the model does not know: refused by validation, which comes after authorization.
    const e = await failure(alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'team', AppType: 'NoSuchType' as 'JupyterLab', AppName: 'default' })));
    expect(e.code).toBe('ValidationException');
  });

  it('sagemaker:UserProfileName is the caller, also as a policy variable: alice may get a presigned URL for herself only, bob none', async () => {
    expect((await alice.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'alice' }))).AuthorizedUrl).toContain(`/studio/${domainId}/`);
    const aliceArn = `arn:aws:sagemaker:us-east-1:000000000000:user-profile/${domainId}/alice`;
    const bobArn = `arn:aws:sagemaker:us-east-1:000000000000:user-profile/${domainId}/bob`;
    expect(await failure(alice.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'bob' })))).toEqual(notAllowed(aliceArn, 'CreatePresignedDomainUrl', bobArn));
    expect(await failure(bob.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'bob' })))).toEqual(notAllowed(bobArn, 'CreatePresignedDomainUrl', bobArn));
  });

  it('aws:SourceIp is the Studio user\'s address (loopback here)', async () => {
    expect((await alice.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'team' }))).SpaceName).toBe('team');
    const e = await failure(alice.send(new ListAppsCommand({})));
    expect(e.code).toBe('AccessDeniedException');
    expect(e.message).toMatch(/with an explicit deny in an identity-based policy$/);
  });
});

describe('SageMaker Runtime: sagemaker:TargetModel', () => {
  it('InvokeEndpoint with a denied target model is refused; another gets past authorization', async () => {
    const { SageMakerRuntimeClient, InvokeEndpointCommand } = await import('@aws-sdk/client-sagemaker-runtime');
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'mme-caller', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new PutRolePolicyCommand({
      RoleName: 'mme-caller', PolicyName: 'p',
      PolicyDocument: policy(
        { Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: '*' },
        { Effect: 'Deny', Action: 'sagemaker:InvokeEndpoint', Resource: '*', Condition: { StringLike: { 'sagemaker:TargetModel': 'secret/*' } } },
      ),
    }));
    const out = await admin.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/mme-caller', RoleSessionName: 'sess' }));
    const c = out.Credentials!;
    const rt = client(SageMakerRuntimeClient, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
    const invoke = (TargetModel?: string) => rt.send(new InvokeEndpointCommand({ EndpointName: 'mme', Body: '1,2', ContentType: 'text/csv', TargetModel }));
    expect(await failure(invoke('secret/model.tar.gz'))).toEqual({
      code: 'AccessDeniedException',
      status: 400,
      message: 'User: arn:aws:sts::000000000000:assumed-role/mme-caller/sess is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:us-east-1:000000000000:endpoint/mme with an explicit deny in an identity-based policy',
    });
    for (const target of ['public/model.tar.gz', undefined]) {
      const e = await failure(invoke(target));
      expect(e.code).not.toBe('AccessDeniedException');
      expect(e.message).toContain('mme');
    }
  });
});
