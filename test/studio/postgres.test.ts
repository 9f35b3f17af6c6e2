/**
 * Studio on PostgreSQL: domains, user profiles, spaces and a user's keys live in the store, so a
 * restarted Clary still knows them; the user keeps its key and its view (its private space, not
 * another user's), and DeleteDomain still refuses while users exist.
 */
import { rm } from 'node:fs/promises';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateDomainCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteDomainCommand, DescribeSpaceCommand, ListSpacesCommand, ListUserProfilesCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCredentials } from '../../src/studio/user-credentials.js';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';
import { startTestServer, type TestServer } from '../support/server.js';

describe('Studio on PostgreSQL', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.url });
  });
  afterAll(async () => {
    await server?.close();
    if (server) await rm(server.dataDir, { recursive: true, force: true });
    await db?.drop();
  });

  it('keeps domains, users, spaces and user keys across a restart', async () => {
    expect(server.app.platform.store.dialect).toBe('postgres');
    const iam = new IAMClient(server.clientConfig);
    await iam.send(new CreateRoleCommand({ RoleName: 'PgStudio', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'PgStudio', PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*Space*', Resource: '*' }] }) }));
    iam.destroy();
    const sm = new SageMakerClient(server.clientConfig);
    const { DomainId } = await sm.send(new CreateDomainCommand({ DomainName: 'pg', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/PgStudio' } }));
    for (const u of ['ann', 'ben']) {
      await sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: u }));
      await sm.send(new CreateSpaceCommand({ DomainId, SpaceName: `${u}-s`, SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: u } }));
    }
    const key = await userCredentials(server.app.platform.store, server.app.platform.config, DomainId!, 'ann');
    sm.destroy();

    const { dataDir } = server;
    await server.app.close();
    server = await startTestServer({ database: db.url, dataDir });
    const admin = new SageMakerClient(server.clientConfig);
    expect((await admin.send(new ListUserProfilesCommand({ DomainIdEquals: DomainId, SortBy: 'CreationTime', SortOrder: 'Ascending' }))).UserProfiles?.map((u) => u.UserProfileName)).toEqual(['ann', 'ben']);
    expect((await admin.send(new DeleteDomainCommand({ DomainId })).catch((e: Error) => e)) as Error).toMatchObject({ name: 'ResourceInUse' });
    const ann = new SageMakerClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey } });
    expect((await ann.send(new ListSpacesCommand({}))).Spaces?.map((s) => s.SpaceName)).toEqual(['ann-s']);
    expect((await ann.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'ben-s' })).catch((e: Error) => e)) as Error).toMatchObject({ name: 'ResourceNotFound' });
    // Her role allows only space actions.
    expect((await ann.send(new ListUserProfilesCommand({})).catch((e: Error) => e)) as Error).toMatchObject({ name: 'AccessDeniedException' });
    ann.destroy();
    admin.destroy();
  });
});
