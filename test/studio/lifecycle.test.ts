/**
 * Studio domains, user profiles and spaces through @aws-sdk/client-sagemaker as the admin: the
 * lifecycle, the volume on disk (directories and modes), and SageMaker's errors for bad input.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CreateDomainCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteDomainCommand, DeleteSpaceCommand, DeleteUserProfileCommand,
  DescribeDomainCommand, DescribeSpaceCommand, DescribeUserProfileCommand, ListDomainsCommand, ListSpacesCommand, ListTagsCommand,
  ListUserProfilesCommand, SageMakerClient, UpdateDomainCommand, UpdateSpaceCommand, UpdateUserProfileCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let sm: SageMakerClient;
beforeAll(async () => {
  server = await startTestServer();
  sm = new SageMakerClient(server.clientConfig);
});
afterAll(async () => {
  sm?.destroy();
  await server?.close();
});

const ROLE = 'arn:aws:iam::000000000000:role/StudioDefault';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: { name: string; message: string; $metadata?: { httpStatusCode?: number } }) => e);
const mode = async (p: string) => (await stat(p)).mode & 0o7777;
const newDomain = async (name: string, extra: Record<string, unknown> = {}) =>
  sm.send(new CreateDomainCommand({ DomainName: name, AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE }, ...extra }));

describe('domains', () => {
  it('creates an InService domain with its volume on disk, describes, lists, updates and deletes it', async () => {
    const created = await newDomain('team', {
      DefaultUserSettings: { ExecutionRole: ROLE, SharingSettings: { NotebookOutputOption: 'Allowed', S3OutputPath: 's3://b/nb' }, JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } } },
      DefaultSpaceSettings: { ExecutionRole: ROLE },
      VpcId: 'vpc-123', SubnetIds: ['subnet-1'],
      Tags: [{ Key: 'team', Value: 'ml' }],
    });
    expect(created.DomainId).toMatch(/^d-[a-z0-9]{12}$/);
    expect(created.DomainArn).toBe(`arn:aws:sagemaker:us-east-1:000000000000:domain/${created.DomainId}`);
    const d = await sm.send(new DescribeDomainCommand({ DomainId: created.DomainId }));
    expect(d).toMatchObject({
      DomainId: created.DomainId, DomainName: 'team', AuthMode: 'IAM', Status: 'InService', AppNetworkAccessType: 'PublicInternetOnly',
      VpcId: 'vpc-123', SubnetIds: ['subnet-1'], Url: created.Url,
      DefaultUserSettings: { ExecutionRole: ROLE, SharingSettings: { NotebookOutputOption: 'Allowed', S3OutputPath: 's3://b/nb' }, JupyterLabAppSettings: { DefaultResourceSpec: { InstanceType: 'ml.t3.medium' } } },
      DefaultSpaceSettings: { ExecutionRole: ROLE },
    });
    expect(d.HomeEfsFileSystemId).toBe(`fs-${created.DomainId!.slice(2)}`);
    expect(d.SingleSignOnManagedApplicationInstanceId).toBeUndefined();
    expect(d.CreationTime).toBeInstanceOf(Date);
    const volume = join(server.dataDir, 'studio', created.DomainId!);
    expect((await stat(volume)).isDirectory()).toBe(true);
    expect((await sm.send(new ListTagsCommand({ ResourceArn: created.DomainArn }))).Tags).toEqual([{ Key: 'team', Value: 'ml' }]);

    const listed = await sm.send(new ListDomainsCommand({}));
    expect(listed.Domains?.map((x) => x.DomainId)).toContain(created.DomainId);
    expect(listed.Domains?.find((x) => x.DomainId === created.DomainId)).toMatchObject({ DomainName: 'team', Status: 'InService', DomainArn: created.DomainArn });

    await sm.send(new UpdateDomainCommand({ DomainId: created.DomainId, DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/Other' }, AppNetworkAccessType: 'VpcOnly' }));
    const u = await sm.send(new DescribeDomainCommand({ DomainId: created.DomainId }));
    expect(u.AppNetworkAccessType).toBe('VpcOnly');
    expect(u.DefaultUserSettings?.ExecutionRole).toBe('arn:aws:iam::000000000000:role/Other');
    // Members not given are kept.
    expect(u.DefaultUserSettings?.SharingSettings?.S3OutputPath).toBe('s3://b/nb');

    await sm.send(new DeleteDomainCommand({ DomainId: created.DomainId }));
    expect((await fail(sm.send(new DescribeDomainCommand({ DomainId: created.DomainId })))).name).toBe('ResourceNotFound');
    // Retain (the default) keeps the volume.
    expect((await stat(volume)).isDirectory()).toBe(true);
  });

  it('RetentionPolicy Delete removes the volume', async () => {
    const { DomainId } = await newDomain('gone');
    const volume = join(server.dataDir, 'studio', DomainId!);
    await stat(volume);
    await sm.send(new DeleteDomainCommand({ DomainId, RetentionPolicy: { HomeEfsFileSystem: 'Delete' } }));
    await expect(stat(volume)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('answers SageMaker errors for bad input', async () => {
    const sso = await fail(newDomain('sso', { AuthMode: 'SSO' }));
    expect(sso.name).toBe('ValidationException');
    expect(sso.message).toContain('IAM only');
    expect((await fail(newDomain('bad_name'))).name).toBe('ValidationException');
    expect((await fail(newDomain('vpc', { AppNetworkAccessType: 'VpcOnly' }))).message).toContain('VpcId and SubnetIds are required');
    const missing = await fail(sm.send(new DescribeDomainCommand({ DomainId: 'd-000000000000' })));
    expect(missing.name).toBe('ResourceNotFound');
    expect(missing.message).toBe('Domain [arn:aws:sagemaker:us-east-1:000000000000:domain/d-000000000000] does not exist.');
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect((await fail(sm.send(new DescribeDomainCommand({ DomainId: 'nope' })))).name).toBe('ValidationException');
    expect((await fail(sm.send(new DeleteDomainCommand({ DomainId: 'd-000000000000' })))).name).toBe('ResourceNotFound');
    expect((await fail(sm.send(new UpdateDomainCommand({ DomainId: 'd-000000000000' })))).name).toBe('ResourceNotFound');
  });
});

describe('user profiles and spaces', () => {
  it('gives users private homes and spaces their directories; refuses deletes that would orphan them', async () => {
    const { DomainId } = await newDomain('lab');
    const volume = join(server.dataDir, 'studio', DomainId!);
    const alice = await sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'Alice', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(alice.UserProfileArn).toBe(`arn:aws:sagemaker:us-east-1:000000000000:user-profile/${DomainId}/alice`);
    await sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'bob', UserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/Bob' } }));
    const a = await sm.send(new DescribeUserProfileCommand({ DomainId, UserProfileName: 'alice' }));
    expect(a).toMatchObject({ DomainId, UserProfileName: 'Alice', Status: 'InService', UserProfileArn: alice.UserProfileArn, HomeEfsFileSystemUid: '200001' });
    const b = await sm.send(new DescribeUserProfileCommand({ DomainId, UserProfileName: 'bob' }));
    expect(b.HomeEfsFileSystemUid).toBe('200002');
    expect(b.UserSettings?.ExecutionRole).toBe('arn:aws:iam::000000000000:role/Bob');
    expect(await mode(join(volume, 'home', 'alice'))).toBe(0o700);
    if (process.getuid?.() === 0) expect((await stat(join(volume, 'home', 'alice'))).uid).toBe(200001);
    expect((await fail(sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'ALICE' })))).name).toBe('ResourceInUse');

    await sm.send(new UpdateUserProfileCommand({ DomainId, UserProfileName: 'alice', UserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/A2' } }));
    expect((await sm.send(new DescribeUserProfileCommand({ DomainId, UserProfileName: 'alice' }))).UserSettings?.ExecutionRole).toBe('arn:aws:iam::000000000000:role/A2');
    const users = await sm.send(new ListUserProfilesCommand({ DomainIdEquals: DomainId, SortBy: 'CreationTime', SortOrder: 'Ascending' }));
    expect(users.UserProfiles?.map((x) => x.UserProfileName)).toEqual(['Alice', 'bob']);
    expect((await sm.send(new ListUserProfilesCommand({ DomainIdEquals: DomainId, UserProfileNameContains: 'bo' }))).UserProfiles?.map((x) => x.UserProfileName)).toEqual(['bob']);
    const page1 = await sm.send(new ListUserProfilesCommand({ DomainIdEquals: DomainId, MaxResults: 1 }));
    expect(page1.UserProfiles).toHaveLength(1);
    const page2 = await sm.send(new ListUserProfilesCommand({ DomainIdEquals: DomainId, MaxResults: 1, NextToken: page1.NextToken }));
    expect(page2.UserProfiles?.[0]?.UserProfileName).not.toBe(page1.UserProfiles?.[0]?.UserProfileName);

    const priv = await sm.send(new CreateSpaceCommand({
      DomainId, SpaceName: 'alice-space', SpaceDisplayName: 'Alice',
      SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'alice' },
      SpaceSettings: { AppType: 'JupyterLab', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 10 } } },
    }));
    expect(priv.SpaceArn).toBe(`arn:aws:sagemaker:us-east-1:000000000000:space/${DomainId}/alice-space`);
    await sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'shared', SpaceSharingSettings: { SharingType: 'Shared' }, SpaceSettings: { AppType: 'JupyterLab' } }));
    const ds = await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'alice-space' }));
    expect(ds).toMatchObject({
      SpaceName: 'alice-space', SpaceDisplayName: 'Alice', Status: 'InService', HomeEfsFileSystemUid: '200001',
      SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'Alice' },
      SpaceSettings: { AppType: 'JupyterLab', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 10 } } },
    });
    expect(await mode(join(volume, 'spaces', 'alice-space'))).toBe(0o700);
    expect(await mode(join(volume, 'spaces', 'shared'))).toBe(0o2770);
    const spaces = await sm.send(new ListSpacesCommand({ DomainIdEquals: DomainId, SortBy: 'CreationTime', SortOrder: 'Ascending' }));
    expect(spaces.Spaces?.map((s) => [s.SpaceName, s.SpaceSharingSettingsSummary?.SharingType, s.OwnershipSettingsSummary?.OwnerUserProfileName])).toEqual([
      ['alice-space', 'Private', 'Alice'],
      ['shared', 'Shared', undefined],
    ]);
    expect(spaces.Spaces?.[0]?.SpaceSettingsSummary?.SpaceStorageSettings?.EbsStorageSettings?.EbsVolumeSizeInGb).toBe(10);

    await sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'alice-space', SpaceDisplayName: 'Renamed', SpaceSettings: { SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 20 } } } }));
    const us = await sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'alice-space' }));
    expect(us.SpaceDisplayName).toBe('Renamed');
    expect(us.SpaceSettings).toMatchObject({ AppType: 'JupyterLab', SpaceStorageSettings: { EbsStorageSettings: { EbsVolumeSizeInGb: 20 } } });
    expect((await fail(sm.send(new UpdateSpaceCommand({ DomainId, SpaceName: 'alice-space', SpaceSettings: { AppType: 'CodeEditor' } })))).name).toBe('ValidationException');

    // Deletes that would orphan something are refused.
    const inUse = await fail(sm.send(new DeleteDomainCommand({ DomainId })));
    expect(inUse.name).toBe('ResourceInUse');
    const owns = await fail(sm.send(new DeleteUserProfileCommand({ DomainId, UserProfileName: 'alice' })));
    expect(owns.name).toBe('ResourceInUse');
    expect(owns.message).toBe(`Unable to delete UserProfile [${alice.UserProfileArn}] because Space(s) are associated with it.`);

    await sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'alice-space' }));
    await expect(stat(join(volume, 'spaces', 'alice-space'))).rejects.toMatchObject({ code: 'ENOENT' });
    await sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'shared' }));
    expect((await fail(sm.send(new DeleteDomainCommand({ DomainId })))).message).toContain('UserProfile(s) are associated');
    await sm.send(new DeleteUserProfileCommand({ DomainId, UserProfileName: 'alice' }));
    await sm.send(new DeleteUserProfileCommand({ DomainId, UserProfileName: 'bob' }));
    expect((await fail(sm.send(new DescribeUserProfileCommand({ DomainId, UserProfileName: 'alice' })))).name).toBe('ResourceNotFound');
    await sm.send(new DeleteDomainCommand({ DomainId }));
  });

  it('answers SageMaker errors for bad spaces and user profiles', async () => {
    const { DomainId } = await newDomain('errs');
    const { DomainId: other } = await newDomain('other');
    await sm.send(new CreateUserProfileCommand({ DomainId: other, UserProfileName: 'carol' }));
    await sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'dave' }));
    const foreignOwner = await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 's', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'carol' } })));
    expect(foreignOwner.name).toBe('ResourceNotFound');
    expect(foreignOwner.message).toBe(`UserProfile [arn:aws:sagemaker:us-east-1:000000000000:user-profile/${DomainId}/carol] does not exist.`);
    expect((await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 's', SpaceSharingSettings: { SharingType: 'Private' } })))).message).toContain('OwnerUserProfileName is required');
    expect((await fail(sm.send(new CreateSpaceCommand({ DomainId: 'd-000000000000', SpaceName: 's' })))).name).toBe('ResourceNotFound');
    expect((await fail(sm.send(new CreateUserProfileCommand({ DomainId: 'd-000000000000', UserProfileName: 'x' })))).name).toBe('ResourceNotFound');
    expect((await fail(sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: '-bad' })))).name).toBe('ValidationException');
    expect((await fail(sm.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'sso', SingleSignOnUserIdentifier: 'UserName', SingleSignOnUserValue: 'x' })))).name).toBe('ValidationException');
    expect((await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'a_b' })))).name).toBe('ValidationException');
    await sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'dup' }));
    expect((await fail(sm.send(new CreateSpaceCommand({ DomainId, SpaceName: 'DUP' })))).name).toBe('ResourceInUse');
    const noSpace = await fail(sm.send(new DescribeSpaceCommand({ DomainId, SpaceName: 'nope' })));
    expect(noSpace.name).toBe('ResourceNotFound');
    expect(noSpace.message).toBe(`Space [arn:aws:sagemaker:us-east-1:000000000000:space/${DomainId}/nope] does not exist.`);
    expect((await fail(sm.send(new DeleteSpaceCommand({ DomainId, SpaceName: 'nope' })))).name).toBe('ResourceNotFound');
    expect((await fail(sm.send(new UpdateUserProfileCommand({ DomainId, UserProfileName: 'nope' })))).name).toBe('ResourceNotFound');
    expect((await fail(sm.send(new DeleteUserProfileCommand({ DomainId: other, UserProfileName: 'dave' })))).name).toBe('ResourceNotFound');
  });
});
