/**
 * Studio user profiles as principals: keys from `clary users credentials` (the function behind
 * it, and the CLI itself), used through @aws-sdk/client-sagemaker, boto3 and the AWS CLI. A user
 * acts with its execution role and sees its domain's shared spaces and its own private spaces;
 * another user's private space does not exist for it, and another domain not at all.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateDomainCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteDomainCommand, DeleteSpaceCommand, DeleteUserProfileCommand,
  DescribeDomainCommand, DescribeSpaceCommand, DescribeUserProfileCommand, ListDomainsCommand, ListSpacesCommand, ListUserProfilesCommand,
  SageMakerClient, UpdateDomainCommand, UpdateSpaceCommand, AddTagsCommand, ListTagsCommand, DeleteTagsCommand,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersCredentialsCommand } from '../../src/cli/users.js';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
let server: TestServer;
let admin: SageMakerClient;
let domainId: string;
let otherDomainId: string;
let tmp: string;
const ROLE_ARN = 'arn:aws:iam::000000000000:role/StudioUser';

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: { name: string; message: string }) => e);
const keysFrom = (text: string) => ({
  accessKeyId: /aws_access_key_id = (\S+)/.exec(text)![1]!,
  secretAccessKey: /aws_secret_access_key = (\S+)/.exec(text)![1]!,
});
const credentialsOf = (domain: string, user: string, opts: { rotate?: boolean; profile?: string } = {}) =>
  usersCredentialsCommand(server.app.platform.store, server.app.platform.config, domain, user, opts);
const clientFor = (text: string) => new SageMakerClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: keysFrom(text) });

beforeAll(async () => {
  server = await startTestServer();
  tmp = await mkdtemp(join(tmpdir(), 'clary-studio-'));
  admin = new SageMakerClient(server.clientConfig);
  const iam = new IAMClient(server.clientConfig);
  await iam.send(new CreateRoleCommand({
    RoleName: 'StudioUser',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({
    RoleName: 'StudioUser', PolicyName: 'studio',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }, { Effect: 'Deny', Action: 'sagemaker:DeleteDomain', Resource: '*' }] }),
  }));
  iam.destroy();
  domainId = (await admin.send(new CreateDomainCommand({ DomainName: 'research', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE_ARN } }))).DomainId!;
  otherDomainId = (await admin.send(new CreateDomainCommand({ DomainName: 'finance', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE_ARN } }))).DomainId!;
  for (const u of ['alice', 'bob']) await admin.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: u }));
  await admin.send(new CreateUserProfileCommand({ DomainId: otherDomainId, UserProfileName: 'carol' }));
  await admin.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'team', SpaceSharingSettings: { SharingType: 'Shared' } }));
  for (const u of ['alice', 'bob']) {
    await admin.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: `${u}-private`, SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: u } }));
  }
  await admin.send(new CreateSpaceCommand({ DomainId: otherDomainId, SpaceName: 'ledger', SpaceSharingSettings: { SharingType: 'Shared' } }));
});
afterAll(async () => {
  admin?.destroy();
  await server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('clary users credentials', () => {
  it('prints the same key pair until rotated, by domain id or name, in the credentials-file form', async () => {
    const first = await credentialsOf(domainId, 'alice');
    expect(first).toMatch(new RegExp(`^# .*\\n\\[${domainId}-alice\\]\\naws_access_key_id = AKIA[A-Z0-9]{16}\\naws_secret_access_key = \\S+\\nregion = us-east-1\\n$`));
    expect(await credentialsOf('research', 'ALICE')).toContain(keysFrom(first).accessKeyId);
    expect(await credentialsOf(domainId, 'alice', { profile: 'a' })).toContain('[a]');
    await expect(credentialsOf(domainId, 'nobody')).rejects.toThrow(/no user profile "nobody"/);
    await expect(credentialsOf('d-000000000000', 'alice')).rejects.toThrow(/no domain/);
  });

  it('is the `clary users credentials` command: its output works with aws --profile; --rotate replaces the key; unknown users exit 2', async () => {
    const clary = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'users', 'credentials', ...args, '--data-dir', server.dataDir]);
    const printed = (await clary(domainId, 'alice', '--profile', 'alice')).stdout;
    expect(keysFrom(printed)).toEqual(keysFrom(await credentialsOf(domainId, 'alice')));
    const rotated = (await clary('research', 'alice', '--rotate', '--profile', 'alice')).stdout;
    expect(keysFrom(rotated).accessKeyId).not.toBe(keysFrom(printed).accessKeyId);
    const file = join(tmp, 'cli-credentials');
    await writeFile(file, rotated, { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...server.env, AWS_SHARED_CREDENTIALS_FILE: file };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const who = JSON.parse((await run('aws', ['sagemaker', 'list-spaces', '--profile', 'alice', '--output', 'json'], { env })).stdout);
    expect(who.Spaces.map((x: { SpaceName: string }) => x.SpaceName).sort()).toEqual(['alice-private', 'team']);
    await expect(clary(domainId, 'nobody')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no user profile "nobody"') });
  });
});

describe('a user profile principal', () => {
  it('acts with its execution role and sees shared spaces and its own private ones only (JS SDK)', async () => {
    const alice = clientFor(await credentialsOf(domainId, 'alice'));
    const listed = await alice.send(new ListSpacesCommand({}));
    expect(listed.Spaces?.map((s) => s.SpaceName).sort()).toEqual(['alice-private', 'team']);
    expect((await alice.send(new ListSpacesCommand({ DomainIdEquals: otherDomainId }))).Spaces).toEqual([]);
    expect((await alice.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'alice-private' }))).OwnershipSettings?.OwnerUserProfileName).toBe('alice');
    expect((await alice.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'team' }))).SpaceName).toBe('team');

    // Every attempt on bob's private space answers as if it did not exist.
    const notFound = `Space [arn:aws:sagemaker:us-east-1:000000000000:space/${domainId}/bob-private] does not exist.`;
    for (const attempt of [
      alice.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'bob-private' })),
      alice.send(new UpdateSpaceCommand({ DomainId: domainId, SpaceName: 'bob-private', SpaceDisplayName: 'mine now' })),
      alice.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: 'bob-private' })),
    ]) {
      const e = await fail(attempt);
      expect([e.name, e.message]).toEqual(['ResourceNotFound', notFound]);
    }
    // Tags do not reveal it either.
    const bobArn = `arn:aws:sagemaker:us-east-1:000000000000:space/${domainId}/bob-private`;
    for (const attempt of [
      alice.send(new ListTagsCommand({ ResourceArn: bobArn })),
      alice.send(new AddTagsCommand({ ResourceArn: bobArn, Tags: [{ Key: 'k', Value: 'v' }] })),
      alice.send(new DeleteTagsCommand({ ResourceArn: bobArn, TagKeys: ['k'] })),
      alice.send(new ListTagsCommand({ ResourceArn: `arn:aws:sagemaker:us-east-1:000000000000:domain/${otherDomainId}` })),
    ]) {
      const e = await fail(attempt);
      expect([e.name, e.message]).toEqual(['ValidationException', expect.stringContaining('does not exist or is not taggable')]);
    }
    const mine = `arn:aws:sagemaker:us-east-1:000000000000:space/${domainId}/alice-private`;
    await alice.send(new AddTagsCommand({ ResourceArn: mine, Tags: [{ Key: 'k', Value: 'v' }] }));
    expect((await alice.send(new ListTagsCommand({ ResourceArn: mine }))).Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    expect((await admin.send(new ListTagsCommand({ ResourceArn: bobArn }))).Tags).toEqual([]);
    // Creating a private space for someone else is denied; for herself it works, and bob cannot see it.
    expect((await fail(alice.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'for-bob', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'bob' } })))).name).toBe('AccessDeniedException');
    await alice.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'alice-2', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'alice' } }));
    const bob = clientFor(await credentialsOf(domainId, 'bob'));
    expect((await bob.send(new ListSpacesCommand({ DomainIdEquals: domainId }))).Spaces?.map((s) => s.SpaceName).sort()).toEqual(['bob-private', 'team']);
    expect((await fail(bob.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'alice-2' })))).name).toBe('ResourceNotFound');
    await alice.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: 'alice-2' }));
    // The admin still sees every space.
    expect((await admin.send(new ListSpacesCommand({ DomainIdEquals: domainId }))).Spaces?.map((s) => s.SpaceName).sort()).toEqual(['alice-private', 'bob-private', 'team']);

    // Another domain does not exist for her.
    expect((await alice.send(new ListDomainsCommand({}))).Domains?.map((d) => d.DomainId)).toEqual([domainId]);
    expect((await fail(alice.send(new DescribeDomainCommand({ DomainId: otherDomainId })))).name).toBe('ResourceNotFound');
    expect((await fail(alice.send(new DescribeSpaceCommand({ DomainId: otherDomainId, SpaceName: 'ledger' })))).name).toBe('ResourceNotFound');
    expect((await fail(alice.send(new DescribeUserProfileCommand({ DomainId: otherDomainId, UserProfileName: 'carol' })))).name).toBe('ResourceNotFound');
    expect((await alice.send(new ListUserProfilesCommand({}))).UserProfiles?.map((u) => u.UserProfileName).sort()).toEqual(['alice', 'bob']);
    // Her role's explicit Deny holds.
    const denied = await fail(alice.send(new DeleteDomainCommand({ DomainId: domainId })));
    expect(denied.name).toBe('AccessDeniedException');
    expect(denied.message).toContain(`User: arn:aws:sagemaker:us-east-1:000000000000:user-profile/${domainId}/alice is not authorized to perform: sagemaker:DeleteDomain`);
    alice.destroy();
    bob.destroy();
  });

  it('is denied everything without an existing execution role, and rotation and deletion end its keys', async () => {
    const { DomainId } = await admin.send(new CreateDomainCommand({ DomainName: 'norole', AuthMode: 'IAM', DefaultUserSettings: {} }));
    await admin.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'eve' }));
    await admin.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'mallory', UserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/Missing' } }));
    for (const u of ['eve', 'mallory']) {
      const c = clientFor(await credentialsOf(DomainId!, u));
      expect((await fail(c.send(new ListSpacesCommand({})))).name).toBe('AccessDeniedException');
      c.destroy();
    }
    // A domain default set later applies at once to users without a role of their own; a user's own (missing) role still wins.
    await admin.send(new UpdateDomainCommand({ DomainId, DefaultUserSettings: { ExecutionRole: ROLE_ARN } }));
    const eve = clientFor(await credentialsOf(DomainId!, 'eve'));
    expect((await eve.send(new ListSpacesCommand({}))).Spaces).toEqual([]);
    eve.destroy();
    const mallory = clientFor(await credentialsOf(DomainId!, 'mallory'));
    expect((await fail(mallory.send(new ListSpacesCommand({})))).name).toBe('AccessDeniedException');
    mallory.destroy();
    await admin.send(new UpdateDomainCommand({ DomainId, DefaultUserSettings: { ExecutionRole: 'arn:aws:iam::000000000000:role/Missing' } }));
    // The user's own ExecutionRole wins over the domain's.
    await admin.send(new CreateUserProfileCommand({ DomainId, UserProfileName: 'trent', UserSettings: { ExecutionRole: ROLE_ARN } }));
    const trentText = await credentialsOf(DomainId!, 'trent');
    const trent = clientFor(trentText);
    expect((await trent.send(new ListSpacesCommand({}))).Spaces).toEqual([]);

    const rotated = clientFor(await credentialsOf(DomainId!, 'trent', { rotate: true }));
    expect((await rotated.send(new ListSpacesCommand({}))).Spaces).toEqual([]);
    // The old key is gone (the key cache forgets it within 5 s).
    await expect.poll(async () => (await fail(trent.send(new ListSpacesCommand({})))).name, { timeout: 15_000, interval: 500 }).toBe('UnrecognizedClientException');

    await admin.send(new DeleteUserProfileCommand({ DomainId, UserProfileName: 'trent' }));
    expect((await fail(rotated.send(new ListSpacesCommand({})))).name).toMatch(/AccessDeniedException|UnrecognizedClientException/);
    const keys = await server.app.platform.store.listAccessKeys(`arn:aws:sagemaker:us-east-1:000000000000:user-profile/${DomainId}/trent`);
    expect(keys.map((k) => k.status)).toEqual(['Inactive']);
    await expect.poll(async () => (await fail(rotated.send(new ListSpacesCommand({})))).name, { timeout: 15_000, interval: 500 }).toBe('UnrecognizedClientException');
    trent.destroy();
    rotated.destroy();
  });
});

describe('boto3 and the AWS CLI with --profile', () => {
  it('see the same world as the user', async () => {
    const file = join(tmp, 'credentials');
    await writeFile(file, (await credentialsOf(domainId, 'bob', { profile: 'bob' })) + (await credentialsOf(otherDomainId, 'carol', { profile: 'carol' })), { mode: 0o600 });
    const env: NodeJS.ProcessEnv = { ...server.env, AWS_SHARED_CREDENTIALS_FILE: file };
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const script = `
import json, boto3, botocore
out = {}
sm = boto3.Session(profile_name="bob").client("sagemaker")
out["spaces"] = sorted(s["SpaceName"] for s in sm.list_spaces(DomainIdEquals=${JSON.stringify(domainId)})["Spaces"])
for op, args in (("describe_space", {}), ("update_space", {"SpaceDisplayName": "x"}), ("delete_space", {})):
    try:
        getattr(sm, op)(DomainId=${JSON.stringify(domainId)}, SpaceName="alice-private", **args)
        out[op] = "allowed"
    except botocore.exceptions.ClientError as e:
        out[op] = e.response["Error"]["Code"]
carol = boto3.Session(profile_name="carol").client("sagemaker")
out["carol_spaces"] = sorted(s["SpaceName"] for s in carol.list_spaces()["Spaces"])
try:
    carol.describe_domain(DomainId=${JSON.stringify(domainId)})
    out["carol_domain"] = "visible"
except botocore.exceptions.ClientError as e:
    out["carol_domain"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env });
    expect(JSON.parse(stdout)).toEqual({
      spaces: ['bob-private', 'team'],
      describe_space: 'ResourceNotFound', update_space: 'ResourceNotFound', delete_space: 'ResourceNotFound',
      carol_spaces: ['ledger'],
      carol_domain: 'ResourceNotFound',
    });
    const cli = await run('aws', ['sagemaker', 'list-spaces', '--profile', 'bob', '--output', 'json'], { env });
    expect(JSON.parse(cli.stdout).Spaces.map((s: { SpaceName: string }) => s.SpaceName).sort()).toEqual(['bob-private', 'team']);
    const denied = await run('aws', ['sagemaker', 'describe-space', '--domain-id', domainId, '--space-name', 'alice-private', '--profile', 'bob'], { env }).then(() => '', (e: { stderr: string }) => e.stderr);
    expect(denied).toContain('An error occurred (ResourceNotFound) when calling the DescribeSpace operation');
  });
});
