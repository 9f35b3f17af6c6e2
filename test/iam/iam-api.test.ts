/**
 * IAM through the real AWS SDK for JavaScript against a started Clary: roles, inline and attached
 * policies, customer and AWS managed policies, tags, paging, and IAM's own errors.
 */
import {
  AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, DeletePolicyCommand, DeleteRoleCommand, DeleteRolePolicyCommand,
  DetachRolePolicyCommand, GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient,
  ListAttachedRolePoliciesCommand, ListPoliciesCommand, ListRolePoliciesCommand, ListRolesCommand, ListRoleTagsCommand, PutRolePolicyCommand,
  TagRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let iam: IAMClient;

beforeAll(async () => {
  server = await startTestServer();
  iam = new IAMClient(server.clientConfig);
});
afterAll(async () => {
  iam?.destroy();
  await server?.close();
});

export const SAGEMAKER_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

async function error(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    // The SDK names errors after the model's shapes (NoSuchEntityException); Code is IAM's wire code.
    const err = e as { name: string; Code?: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.Code ?? err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

describe('roles', () => {
  it('creates, gets and lists roles with paths, paging and AWS-shaped fields', async () => {
    const created = await iam.send(new CreateRoleCommand({ RoleName: 'SageMakerRole', AssumeRolePolicyDocument: SAGEMAKER_TRUST, Path: '/service-role/', Description: 'for jobs', MaxSessionDuration: 7200, Tags: [{ Key: 'team', Value: 'ml' }] }));
    expect(created.Role?.Arn).toBe('arn:aws:iam::000000000000:role/service-role/SageMakerRole');
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);
    expect(decodeURIComponent(created.Role!.AssumeRolePolicyDocument!)).toBe(SAGEMAKER_TRUST);

    const got = await iam.send(new GetRoleCommand({ RoleName: 'sagemakerrole' }));
    expect(got.Role).toMatchObject({ RoleName: 'SageMakerRole', Path: '/service-role/', Description: 'for jobs', MaxSessionDuration: 7200, Tags: [{ Key: 'team', Value: 'ml' }] });

    for (const n of ['a-role', 'b-role', 'c-role', 'd-role']) await iam.send(new CreateRoleCommand({ RoleName: n, AssumeRolePolicyDocument: SAGEMAKER_TRUST }));
    const names: string[] = [];
    let Marker: string | undefined;
    let pages = 0;
    do {
      const p = await iam.send(new ListRolesCommand({ MaxItems: 2, Marker }));
      names.push(...(p.Roles ?? []).map((r) => r.RoleName!));
      Marker = p.IsTruncated ? p.Marker : undefined;
      pages++;
    } while (Marker);
    expect(names).toEqual(['a-role', 'b-role', 'c-role', 'd-role', 'SageMakerRole']);
    expect(pages).toBe(3);
    const svc = await iam.send(new ListRolesCommand({ PathPrefix: '/service-role/' }));
    expect(svc.Roles?.map((r) => r.RoleName)).toEqual(['SageMakerRole']);
    expect(svc.IsTruncated).toBe(false);
  });

  it('answers IAM errors: duplicates, unknown roles, bad trust policies, bad markers', async () => {
    expect(await error(iam.send(new CreateRoleCommand({ RoleName: 'A-ROLE', AssumeRolePolicyDocument: SAGEMAKER_TRUST })))).toMatchObject({ name: 'EntityAlreadyExists', status: 409, message: 'Role with name A-ROLE already exists.' });
    expect(await error(iam.send(new GetRoleCommand({ RoleName: 'nope' })))).toMatchObject({ name: 'NoSuchEntity', status: 404, message: 'The role with name nope cannot be found.' });
    expect(await error(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}' })))).toMatchObject({ name: 'MalformedPolicyDocument', status: 400 });
    expect(await error(iam.send(new CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: 'nope{' })))).toMatchObject({ name: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' });
    expect(await error(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'nope', PolicyDocument: SAGEMAKER_TRUST })))).toMatchObject({ name: 'NoSuchEntity' });
    expect(await error(iam.send(new ListRolesCommand({ Marker: 'garbage!' })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await error(iam.send(new CreateRoleCommand({ RoleName: 'x', AssumeRolePolicyDocument: SAGEMAKER_TRUST, MaxSessionDuration: 60 })))).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  it('tags roles (keys case-insensitive) and untags them', async () => {
    await iam.send(new TagRoleCommand({ RoleName: 'a-role', Tags: [{ Key: 'Owner', Value: 'alice' }, { Key: 'cost', Value: '1' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'a-role', Tags: [{ Key: 'owner', Value: 'bob' }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'a-role' }))).Tags).toEqual([{ Key: 'cost', Value: '1' }, { Key: 'owner', Value: 'bob' }]);
    await iam.send(new UntagRoleCommand({ RoleName: 'a-role', TagKeys: ['COST'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'a-role' }))).Tags).toEqual([{ Key: 'owner', Value: 'bob' }]);
    expect(await error(iam.send(new TagRoleCommand({ RoleName: 'a-role', Tags: [{ Key: 'k', Value: '1' }, { Key: 'K', Value: '2' }] })))).toMatchObject({ name: 'InvalidInput' });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    expect(await error(iam.send(new TagRoleCommand({ RoleName: 'a-role', Tags: many })))).toMatchObject({ name: 'LimitExceeded' });
  });

  it('updates the trust policy', async () => {
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'b-role', PolicyDocument: trust }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'b-role' }))).Role!.AssumeRolePolicyDocument!)).toBe(trust);
  });
});

describe('inline and attached policies', () => {
  const s3Read = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }] });

  it('puts, gets, lists and deletes inline policies; DeleteRole conflicts while any remain', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'inline-role', AssumeRolePolicyDocument: SAGEMAKER_TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'read', PolicyDocument: s3Read }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'also', PolicyDocument: s3Read }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'read' }));
    expect(got.PolicyDocument).toBe(encodeURIComponent(s3Read));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'inline-role' }))).PolicyNames).toEqual(['also', 'read']);
    expect(await error(iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' })))).toMatchObject({ name: 'DeleteConflict', status: 409, message: 'Cannot delete entity, must delete policies first.' });
    expect(await error(iam.send(new GetRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'nope' })))).toMatchObject({ name: 'NoSuchEntity', message: 'The role policy with name nope cannot be found.' });
    expect(await error(iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'p', PolicyDocument: '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}' })))).toMatchObject({ name: 'MalformedPolicyDocument', message: 'Policy document should not specify a principal.' });
    const big = JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 200 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::bucket-${i}/*` })) });
    expect(await error(iam.send(new PutRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'big', PolicyDocument: big })))).toMatchObject({ name: 'LimitExceeded' });
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'read' }));
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'also' }));
    expect(await error(iam.send(new DeleteRolePolicyCommand({ RoleName: 'inline-role', PolicyName: 'also' })))).toMatchObject({ name: 'NoSuchEntity' });
    await iam.send(new DeleteRoleCommand({ RoleName: 'inline-role' }));
    expect(await error(iam.send(new GetRoleCommand({ RoleName: 'inline-role' })))).toMatchObject({ name: 'NoSuchEntity' });
  });

  it('has the AWS managed policies with their documents and filters by scope', async () => {
    const aws = await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }));
    expect(aws.Policies?.map((p) => p.PolicyName)).toEqual(['AmazonS3FullAccess', 'AmazonS3ReadOnlyAccess', 'AmazonSageMakerFullAccess', 'AmazonSageMakerReadOnly', 'CloudWatchFullAccess', 'CloudWatchLogsFullAccess']);
    const full = await iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonSageMakerFullAccess' }));
    expect(full.Policy).toMatchObject({ PolicyName: 'AmazonSageMakerFullAccess', IsAttachable: true, Path: '/' });
    const version = await iam.send(new GetPolicyVersionCommand({ PolicyArn: full.Policy!.Arn, VersionId: full.Policy!.DefaultVersionId }));
    const doc = JSON.parse(decodeURIComponent(version.PolicyVersion!.Document!));
    expect(JSON.stringify(doc)).toContain('sagemaker.amazonaws.com');
    expect(doc.Statement.some((s: { Action?: string[] }) => s.Action?.includes('iam:PassRole'))).toBe(true);
    expect(await error(iam.send(new GetPolicyVersionCommand({ PolicyArn: full.Policy!.Arn, VersionId: 'v1' })))).toMatchObject({ name: 'NoSuchEntity' });
    expect(await error(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Nope' })))).toMatchObject({ name: 'NoSuchEntity', status: 404 });
  });

  it('creates customer policies, attaches them and AWS ones, counts attachments, conflicts on delete', async () => {
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: 'ReadData', PolicyDocument: s3Read, Path: '/team/', Description: 'reads' }));
    expect(created.Policy).toMatchObject({ Arn: 'arn:aws:iam::000000000000:policy/team/ReadData', DefaultVersionId: 'v1', AttachmentCount: 0 });
    expect(await error(iam.send(new CreatePolicyCommand({ PolicyName: 'readdata', PolicyDocument: s3Read })))).toMatchObject({ name: 'EntityAlreadyExists', status: 409 });
    expect(await error(iam.send(new CreatePolicyCommand({ PolicyName: 'Bad', PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*"}]}' })))).toMatchObject({ name: 'MalformedPolicyDocument', message: 'Policy statement must contain resources.' });

    await iam.send(new AttachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: created.Policy!.Arn }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    expect(await error(iam.send(new AttachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: 'arn:aws:iam::aws:policy/Nope' })))).toMatchObject({ name: 'NoSuchEntity', message: 'Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.' });
    expect(await error(iam.send(new AttachRolePolicyCommand({ RoleName: 'nope', PolicyArn: created.Policy!.Arn })))).toMatchObject({ name: 'NoSuchEntity', message: 'The role with name nope cannot be found.' });
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'c-role' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonS3FullAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' },
      { PolicyName: 'ReadData', PolicyArn: 'arn:aws:iam::000000000000:policy/team/ReadData' },
    ]);
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: created.Policy!.Arn }))).Policy?.AttachmentCount).toBe(1);
    const local = await iam.send(new ListPoliciesCommand({ Scope: 'Local' }));
    expect(local.Policies?.map((p) => p.PolicyName)).toEqual(['ReadData']);
    expect((await iam.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies?.map((p) => p.PolicyName)).toEqual(['AmazonS3FullAccess', 'ReadData']);

    expect(await error(iam.send(new DeletePolicyCommand({ PolicyArn: created.Policy!.Arn })))).toMatchObject({ name: 'DeleteConflict', status: 409 });
    expect(await error(iam.send(new DeleteRoleCommand({ RoleName: 'c-role' })))).toMatchObject({ name: 'DeleteConflict', message: 'Cannot delete entity, must detach all policies first.' });
    expect(await error(iam.send(new DeletePolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' })))).toMatchObject({ name: 'AccessDenied', status: 403 });

    await iam.send(new DetachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: created.Policy!.Arn }));
    expect(await error(iam.send(new DetachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: created.Policy!.Arn })))).toMatchObject({ name: 'NoSuchEntity' });
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'c-role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' }));
    await iam.send(new DeletePolicyCommand({ PolicyArn: created.Policy!.Arn }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'c-role' }));
    expect((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies).toEqual([]);
  });

  it('limits a role to 10 attached policies', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'many', AssumeRolePolicyDocument: SAGEMAKER_TRUST }));
    for (let i = 0; i < 10; i++) {
      const p = await iam.send(new CreatePolicyCommand({ PolicyName: `p${i}`, PolicyDocument: s3Read }));
      await iam.send(new AttachRolePolicyCommand({ RoleName: 'many', PolicyArn: p.Policy!.Arn }));
    }
    expect(await error(iam.send(new AttachRolePolicyCommand({ RoleName: 'many', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3FullAccess' })))).toMatchObject({ name: 'LimitExceeded', message: 'Cannot exceed quota for PoliciesPerRole: 10' });
  });
});
