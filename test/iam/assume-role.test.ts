/**
 * STS AssumeRole and IAM policies evaluated on every call, through the real AWS SDK for
 * JavaScript: a role session does what its role's policies (and session policy) allow, is denied
 * everything else in each service's own shape, and its credentials need their session token.
 */
import { AttachRolePolicyCommand, CreateRoleCommand, DeleteRoleCommand, DetachRolePolicyCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand, DeleteRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateTrainingJobCommand, ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getRole } from '../../src/iam/iam-directory.js';
import { issueRoleSession } from '../../src/iam/role-sessions.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let admin: { iam: IAMClient; sts: STSClient; s3: S3Client };
const clients: { destroy(): void }[] = [];

const ACCOUNT_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
const SAGEMAKER_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
function as<T extends { destroy(): void }>(C: new (c: object) => T, credentials: Creds): T {
  const c = new C({ ...server.clientConfig, credentials, maxAttempts: 1 });
  clients.push(c);
  return c;
}

async function assume(RoleName: string, extra: Record<string, unknown> = {}, sts = admin.sts): Promise<Creds & { arn: string }> {
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::000000000000:role/${RoleName}`, RoleSessionName: 'sess', ...extra }));
  return { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken!, arn: out.AssumedRoleUser!.Arn! };
}

async function failure(p: Promise<unknown>): Promise<{ code: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { code: err.Code ?? err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  server = await startTestServer();
  admin = { iam: as(IAMClient, server.credentials), sts: as(STSClient, server.credentials), s3: as(S3Client, server.credentials) };
  await admin.s3.send(new CreateBucketCommand({ Bucket: 'data' }));
  await admin.iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: ACCOUNT_TRUST, MaxSessionDuration: 7200 }));
  await admin.iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.close();
});

describe('AssumeRole', () => {
  it('returns temporary credentials for the assumed-role ARN, and GetCallerIdentity says so', async () => {
    const out = await admin.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/worker', RoleSessionName: 'alice', DurationSeconds: 1800 }));
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials?.SessionToken?.length).toBeGreaterThan(100);
    const ms = out.Credentials!.Expiration!.getTime() - Date.now();
    expect(ms).toBeGreaterThan(1700_000);
    expect(ms).toBeLessThanOrEqual(1800_000);
    expect(out.AssumedRoleUser?.Arn).toBe('arn:aws:sts::000000000000:assumed-role/worker/alice');
    const role = await getRole(server.app.platform.store, 'worker');
    expect(out.AssumedRoleUser?.AssumedRoleId).toBe(`${role!.doc.RoleId}:alice`);
    const me = await as(STSClient, { accessKeyId: out.Credentials!.AccessKeyId!, secretAccessKey: out.Credentials!.SecretAccessKey!, sessionToken: out.Credentials!.SessionToken! }).send(new GetCallerIdentityCommand({}));
    expect(me).toMatchObject({ Arn: 'arn:aws:sts::000000000000:assumed-role/worker/alice', Account: '000000000000', UserId: `${role!.doc.RoleId}:alice` });
  });

  it('refuses roles that do not exist, durations over the role maximum, and malformed session policies', async () => {
    expect(await failure(admin.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/nope', RoleSessionName: 'ss' })))).toMatchObject({
      code: 'AccessDenied', status: 403, message: 'User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/nope',
    });
    expect(await failure(admin.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/worker', RoleSessionName: 'ss', DurationSeconds: 7201 })))).toMatchObject({
      code: 'ValidationError', status: 400, message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    expect(await failure(admin.sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/worker', RoleSessionName: 'ss', Policy: '{"Statement":{"Effect":"Allow"}}' })))).toMatchObject({ code: 'MalformedPolicyDocument', status: 400 });
  });
});

describe('a role session is authorized by its role policies', () => {
  it('may do what AmazonS3FullAccess allows and nothing else, each denial in its service shape', async () => {
    const creds = await assume('worker');
    const s3 = as(S3Client, creds);
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'a.txt', Body: 'hello' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'a.txt' }))).Body!.transformToString()).toBe('hello');

    const sm = as(SageMakerClient, creds);
    const denied = await failure(sm.send(new ListTrainingJobsCommand({})));
    expect(denied).toMatchObject({
      code: 'AccessDeniedException',
      message: 'User: arn:aws:sts::000000000000:assumed-role/worker/sess is not authorized to perform: sagemaker:ListTrainingJobs on resource: * because no identity-based policy allows the sagemaker:ListTrainingJobs action',
    });
    const create = await failure(sm.send(new CreateTrainingJobCommand({
      TrainingJobName: 'nope', RoleArn: 'arn:aws:iam::000000000000:role/worker',
      AlgorithmSpecification: { TrainingImage: 'x', TrainingInputMode: 'File' }, OutputDataConfig: { S3OutputPath: 's3://data/out' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 }, StoppingCondition: { MaxRuntimeInSeconds: 60 },
    })));
    expect(create.code).toBe('AccessDeniedException');
    expect(create.message).toBe('User: arn:aws:sts::000000000000:assumed-role/worker/sess is not authorized to perform: sagemaker:CreateTrainingJob on resource: arn:aws:sagemaker:us-east-1:000000000000:training-job/nope because no identity-based policy allows the sagemaker:CreateTrainingJob action');
    expect(await failure(as(IAMClient, creds).send(new ListRolesCommand({})))).toMatchObject({ code: 'AccessDenied' });
  });

  it('an explicit Deny in an inline policy wins, and takes effect at once', async () => {
    const creds = await assume('worker');
    const s3 = as(S3Client, creds);
    await s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'keep.txt', Body: 'x' }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'no-delete', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::data/*' }] }) }));
    expect(await failure(s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'keep.txt' })))).toMatchObject({ code: 'AccessDenied', status: 403 });
    await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'no-delete' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'data', Key: 'keep.txt' }));
  });

  it('a session policy narrows the session to the intersection', async () => {
    const creds = await assume('worker', { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'sagemaker:ListTrainingJobs'], Resource: '*' }] }) });
    const s3 = as(S3Client, creds);
    await admin.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'r.txt', Body: 'r' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'r.txt' }))).Body!.transformToString()).toBe('r');
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'w.txt', Body: 'w' })))).toMatchObject({ code: 'AccessDenied' });
    // Allowed by the session policy, but not by the role: still denied.
    expect((await failure(as(SageMakerClient, creds).send(new ListTrainingJobsCommand({})))).message).toContain('because no identity-based policy allows the sagemaker:ListTrainingJobs action');
  });

  it('conditions see the request: aws:SourceIp', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'office', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'office', PolicyName: 'ip', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
      { Effect: 'Allow', Action: 's3:PutObject', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
    ] }) }));
    const s3 = as(S3Client, await assume('office'));
    await admin.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'ip.txt', Body: 'ip' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'ip.txt' }))).Body!.transformToString()).toBe('ip');
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'ip.txt', Body: 'no' })))).toMatchObject({ code: 'AccessDenied' });
  });
});

describe('trust policies and role chaining', () => {
  it('a session may assume a role that trusts its role, if its own policies allow sts:AssumeRole; chained sessions last at most an hour', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'target', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:role/worker' }, Action: 'sts:AssumeRole' }] }), MaxSessionDuration: 43200 }));
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'jobs-only', AssumeRolePolicyDocument: SAGEMAKER_TRUST }));
    const worker = await assume('worker');
    const sts = as(STSClient, worker);
    const noPermission = await failure(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/target', RoleSessionName: 'xx' })));
    expect(noPermission).toMatchObject({ code: 'AccessDenied' });
    expect(noPermission.message).toContain('because no identity-based policy allows the sts:AssumeRole action');

    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'assume', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::000000000000:role/*' }] }) }));
    const chained = await assume('target', {}, sts);
    expect(chained.arn).toBe('arn:aws:sts::000000000000:assumed-role/target/sess');
    expect(await failure(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/target', RoleSessionName: 'xx', DurationSeconds: 3601 })))).toMatchObject({ code: 'ValidationError' });
    // jobs-only trusts only SageMaker: the worker session may not assume it, the admin may.
    expect(await failure(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/jobs-only', RoleSessionName: 'xx' })))).toMatchObject({
      code: 'AccessDenied', status: 403, message: 'User: arn:aws:sts::000000000000:assumed-role/worker/sess is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::000000000000:role/jobs-only',
    });
    expect((await assume('jobs-only')).arn).toBe('arn:aws:sts::000000000000:assumed-role/jobs-only/sess');
    await admin.iam.send(new DeleteRolePolicyCommand({ RoleName: 'worker', PolicyName: 'assume' }));
  });
});

describe('session tokens', () => {
  it('a wrong or missing token is refused in each family\'s words', async () => {
    const creds = await assume('worker');
    for (const bad of [{ ...creds, sessionToken: `${creds.sessionToken}x` }, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }]) {
      expect(await failure(as(STSClient, bad).send(new GetCallerIdentityCommand({})))).toMatchObject({ code: 'InvalidClientTokenId', status: 403, message: 'The security token included in the request is invalid.' });
      expect(await failure(as(SageMakerClient, bad).send(new ListTrainingJobsCommand({})))).toMatchObject({ code: 'UnrecognizedClientException' });
      expect(await failure(as(S3Client, bad).send(new GetObjectCommand({ Bucket: 'data', Key: 'a.txt' })))).toMatchObject({ code: 'InvalidToken', status: 400 });
    }
  });

  it('expired credentials are refused with ExpiredToken', async () => {
    const role = (await getRole(server.app.platform.store, 'worker'))!.doc;
    // A session issued an hour ago for 15 minutes.
    const s = await issueRoleSession(server.app.platform.store, { accountId: '000000000000', role, sessionName: 'old', durationSeconds: 900, now: Date.now() - 3600_000 });
    const creds = { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, sessionToken: s.sessionToken };
    expect(await failure(as(STSClient, creds).send(new GetCallerIdentityCommand({})))).toMatchObject({ code: 'ExpiredToken', status: 403 });
    expect(await failure(as(SageMakerClient, creds).send(new ListTrainingJobsCommand({})))).toMatchObject({ code: 'ExpiredTokenException' });
    expect(await failure(as(S3Client, creds).send(new GetObjectCommand({ Bucket: 'data', Key: 'a.txt' })))).toMatchObject({ code: 'ExpiredToken', message: 'The provided token has expired.' });
  });
});

describe('AmazonSageMakerFullAccess and iam:PassRole', () => {
  const trainingJob = (TrainingJobName: string, RoleArn: string) => new CreateTrainingJobCommand({
    TrainingJobName, RoleArn,
    AlgorithmSpecification: { TrainingImage: 'unknown-image:latest', TrainingInputMode: 'File' }, OutputDataConfig: { S3OutputPath: 's3://sagemaker-bucket/out' },
    ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 }, StoppingCondition: { MaxRuntimeInSeconds: 60 },
  });

  it('the managed policy allows SageMaker and S3 on *sagemaker* buckets only, and passing roles to SageMaker', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'ml-engineer', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new AttachRolePolicyCommand({ RoleName: 'ml-engineer', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess' }));
    await admin.s3.send(new CreateBucketCommand({ Bucket: 'sagemaker-bucket' }));
    await admin.s3.send(new PutObjectCommand({ Bucket: 'data', Key: 'private.txt', Body: 'p' }));
    const creds = await assume('ml-engineer');
    const s3 = as(S3Client, creds);
    await s3.send(new PutObjectCommand({ Bucket: 'sagemaker-bucket', Key: 'k', Body: 'v' }));
    expect(await failure(s3.send(new GetObjectCommand({ Bucket: 'data', Key: 'private.txt' })))).toMatchObject({ code: 'AccessDenied' });
    const sm = as(SageMakerClient, creds);
    expect((await sm.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries).toBeDefined();
    const created = await sm.send(trainingJob('passed-role', 'arn:aws:iam::000000000000:role/jobs-only'));
    expect(created.TrainingJobArn).toBe('arn:aws:sagemaker:us-east-1:000000000000:training-job/passed-role');
  });

  it('without iam:PassRole a session may not hand a role to SageMaker', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'no-pass', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'no-pass', PolicyName: 'sm', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }] }) }));
    const sm = as(SageMakerClient, await assume('no-pass'));
    expect(await failure(sm.send(trainingJob('not-passed', 'arn:aws:iam::000000000000:role/jobs-only')))).toMatchObject({
      code: 'AccessDeniedException',
      message: 'User: arn:aws:sts::000000000000:assumed-role/no-pass/sess is not authorized to perform: iam:PassRole on resource: arn:aws:iam::000000000000:role/jobs-only because no identity-based policy allows the iam:PassRole action',
    });
  });
});

describe('SageMaker Runtime', () => {
  it('InvokeEndpoint needs sagemaker:InvokeEndpoint on the endpoint', async () => {
    const { SageMakerRuntimeClient, InvokeEndpointCommand } = await import('@aws-sdk/client-sagemaker-runtime');
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'caller', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    const rt = as(SageMakerRuntimeClient, await assume('caller'));
    const invoke = (EndpointName: string) => rt.send(new InvokeEndpointCommand({ EndpointName, Body: '1,2', ContentType: 'text/csv' }));
    expect(await failure(invoke('scoring'))).toMatchObject({
      code: 'AccessDeniedException',
      message: 'User: arn:aws:sts::000000000000:assumed-role/caller/sess is not authorized to perform: sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:us-east-1:000000000000:endpoint/scoring because no identity-based policy allows the sagemaker:InvokeEndpoint action',
    });
    await admin.iam.send(new PutRolePolicyCommand({ RoleName: 'caller', PolicyName: 'invoke', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:InvokeEndpoint', Resource: 'arn:aws:sagemaker:*:*:endpoint/scoring' }] }) }));
    // Allowed now: the endpoint does not exist, and Runtime says so in its own words.
    const missing = await failure(invoke('scoring'));
    expect(missing.code).not.toBe('AccessDeniedException');
    expect(missing.message).toContain('scoring');
    expect((await failure(invoke('other'))).code).toBe('AccessDeniedException');
  });
});

describe('a session outlives neither its role nor a role re-created under its name', () => {
  it('is denied once the role is deleted, and stays denied when a new role takes the name', async () => {
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'temp', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new AttachRolePolicyCommand({ RoleName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const s3 = as(S3Client, await assume('temp'));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain('data');
    await admin.iam.send(new DetachRolePolicyCommand({ RoleName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    expect(await failure(s3.send(new ListBucketsCommand({})))).toMatchObject({ code: 'AccessDenied' });
    await admin.iam.send(new DeleteRoleCommand({ RoleName: 'temp' }));
    await admin.iam.send(new CreateRoleCommand({ RoleName: 'temp', AssumeRolePolicyDocument: ACCOUNT_TRUST }));
    await admin.iam.send(new AttachRolePolicyCommand({ RoleName: 'temp', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    expect(await failure(s3.send(new ListBucketsCommand({})))).toMatchObject({ code: 'AccessDenied' });
    expect((await as(S3Client, await assume('temp')).send(new ListBucketsCommand({}))).Buckets?.length).toBeGreaterThan(0);
  });
});
