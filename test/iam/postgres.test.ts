/**
 * IAM on PostgreSQL: roles, policies and sessions live in the resources table of either store; a
 * restarted Clary (a new process's caches) still has them, and a session issued before the
 * restart keeps working with its token.
 */
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, ListPoliciesCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('IAM on PostgreSQL', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.url });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('keeps roles, policies and sessions across a restart', async () => {
    expect(server.app.platform.store.dialect).toBe('postgres');
    const iam = new IAMClient(server.clientConfig);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: 'sts:AssumeRole' }] });
    await iam.send(new CreateRoleCommand({ RoleName: 'PgRole', AssumeRolePolicyDocument: trust }));
    const policy = await iam.send(new CreatePolicyCommand({ PolicyName: 'PgPolicy', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 's3:CreateBucket'], Resource: '*' }] }) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'PgRole', PolicyArn: policy.Policy!.Arn }));
    const c = (await new STSClient(server.clientConfig).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/PgRole', RoleSessionName: 'pg' }))).Credentials!;
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };

    const { dataDir } = server;
    await server.app.close();
    server = await startTestServer({ database: db.url, dataDir });
    const again = new IAMClient(server.clientConfig);
    expect((await again.send(new ListRolesCommand({}))).Roles?.map((r) => r.RoleName)).toEqual(['PgRole']);
    expect((await again.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies?.map((p) => p.AttachmentCount)).toEqual([1]);

    const cfg = { ...server.clientConfig, credentials, maxAttempts: 1 };
    expect((await new STSClient(cfg).send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:sts::000000000000:assumed-role/PgRole/pg');
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: 'pg-iam' }));
    await s3.send(new PutObjectCommand({ Bucket: 'pg-iam', Key: 'k', Body: 'v' }));
    const denied = await new SageMakerClient(cfg).send(new ListTrainingJobsCommand({})).then(() => undefined, (e: Error) => e.name);
    expect(denied).toBe('AccessDeniedException');
  });
});
