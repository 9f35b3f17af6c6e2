import { CreateDomainCommand, CreatePresignedDomainUrlCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteDomainCommand, DeleteSpaceCommand, DeleteUserProfileCommand, DescribeDomainCommand, DescribeSpaceCommand, ListDomainsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnClary } from '../support/clary-process.js';
import { startTestServer, type TestServer } from '../support/server.js';

const ROLE = 'arn:aws:iam::000000000000:role/StudioDefault';

/** `clary up --port 0`: every URL Clary hands out names the port the OS actually bound, never 0. */
describe('domain URLs on a server started with port 0', () => {
  let dataDir: string;
  let server: TestServer;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clary-domain-url-'));
    server = await startTestServer({ port: 0, dataDir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('puts the bound port in CreateDomain, DescribeDomain, ListDomains, CreateSpace and presigned URLs, and follows a restart', async () => {
    const port = new URL(server.endpoint).port;
    expect(port).not.toBe('0');
    expect(port).not.toBe('');
    let sm = new SageMakerClient(server.clientConfig);
    const created = await sm.send(new CreateDomainCommand({ DomainName: 'url-team', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE } }));
    const id = created.DomainId!;
    const expected = `${server.endpoint}/studio/${id}/`;
    expect(created.Url).toBe(expected);
    expect((await sm.send(new DescribeDomainCommand({ DomainId: id }))).Url).toBe(expected);
    expect((await sm.send(new ListDomainsCommand({}))).Domains?.find((d) => d.DomainId === id)?.Url).toBe(expected);

    await sm.send(new CreateUserProfileCommand({ DomainId: id, UserProfileName: 'alice' }));
    await sm.send(new CreateSpaceCommand({ DomainId: id, SpaceName: 'shared', SpaceSharingSettings: { SharingType: 'Shared' } }));
    expect((await sm.send(new DescribeSpaceCommand({ DomainId: id, SpaceName: 'shared' }))).Url).toBe(`${expected}spaces/shared/`);
    const presigned = await sm.send(new CreatePresignedDomainUrlCommand({ DomainId: id, UserProfileName: 'alice' }));
    expect(presigned.AuthorizedUrl).toMatch(new RegExp(`^${server.endpoint.replace(/[.]/g, '\\.')}/studio/${id}/auth\\?token=`));
    sm.destroy();

    // Restarted over the same data dir, again on port 0: the domain answers with the new address.
    await server.close();
    server = await startTestServer({ port: 0, dataDir });
    sm = new SageMakerClient(server.clientConfig);
    expect((await sm.send(new DescribeDomainCommand({ DomainId: id }))).Url).toBe(`${server.endpoint}/studio/${id}/`);
    const again = await sm.send(new CreatePresignedDomainUrlCommand({ DomainId: id, UserProfileName: 'alice' }));
    expect(again.AuthorizedUrl?.startsWith(`${server.endpoint}/studio/${id}/auth?token=`)).toBe(true);

    await sm.send(new DeleteSpaceCommand({ DomainId: id, SpaceName: 'shared' }));
    await sm.send(new DeleteUserProfileCommand({ DomainId: id, UserProfileName: 'alice' }));
    await sm.send(new DeleteDomainCommand({ DomainId: id }));
    sm.destroy();
  });
});

describe('`clary up --port 0`', () => {
  it('answers CreateDomain and DescribeDomain with the port it bound', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clary-up-port0-'));
    const clary = await spawnClary(['up', '--port', '0', '--data-dir', dataDir]);
    try {
      expect(new URL(clary.endpoint).port).not.toBe('0');
      const sm = new SageMakerClient({ endpoint: clary.endpoint, region: 'us-east-1', credentials: await clary.credentials() });
      const { DomainId, Url } = await sm.send(new CreateDomainCommand({ DomainName: 'cli-team', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE } }));
      expect(Url).toBe(`${clary.endpoint}/studio/${DomainId}/`);
      expect((await sm.send(new DescribeDomainCommand({ DomainId }))).Url).toBe(Url);
      await sm.send(new DeleteDomainCommand({ DomainId }));
      sm.destroy();
    } finally {
      await clary.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
