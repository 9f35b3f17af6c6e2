/**
 * VpcOnly: an app of a VpcOnly domain runs on a private network of its own (docs/networking.md);
 * its kernels cannot reach a server the test runs on the host's loopback, while a kernel of a
 * PublicInternetOnly domain's app (the control) can. Both are reached through the proxy.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateAppCommand, CreateDomainCommand, CreatePresignedDomainUrlCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteAppCommand, SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { ROLE_ARN, runCell, sessionFrom, studioFixture, waitForStatus } from './studio-fixture.js';

let server: TestServer;
let admin: SageMakerClient;
let publicDomain: string;
let vpcDomain: string;
let probe: Server;
let probePort: number;
const apps: { DomainId: string; SpaceName: string; AppType: 'JupyterServer'; AppName: string }[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const f = await studioFixture(server);
  f.alice.destroy();
  f.bob.destroy();
  admin = f.admin;
  publicDomain = f.domainId;
  vpcDomain = (await admin.send(new CreateDomainCommand({ DomainName: 'locked', AuthMode: 'IAM', AppNetworkAccessType: 'VpcOnly', VpcId: 'vpc-0123456789abcdef0', SubnetIds: ['subnet-0123456789abcdef0'], DefaultUserSettings: { ExecutionRole: ROLE_ARN } }))).DomainId!;
  await admin.send(new CreateUserProfileCommand({ DomainId: vpcDomain, UserProfileName: 'alice' }));
  await admin.send(new CreateSpaceCommand({ DomainId: vpcDomain, SpaceName: 'team', SpaceSharingSettings: { SharingType: 'Shared' } }));
  probe = createServer((_req, res) => res.end('probe reached'));
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
  probePort = (probe.address() as AddressInfo).port;
}, 60_000);

afterAll(async () => {
  for (const a of apps) {
    await admin.send(new DeleteAppCommand(a)).catch(() => undefined);
    await waitForStatus(admin, a, ['Deleted', 'Failed']).catch(() => undefined);
  }
  admin?.destroy();
  probe?.close();
  await server?.close();
}, 120_000);

const code = (port: number) => `import os, urllib.request
def probe(url):
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode()
    except Exception as e:
        return 'unreachable (' + type(e).__name__ + ')'
open(os.path.expanduser('~/probe.txt'), 'w').write(probe('http://127.0.0.1:${port}/'))`;

async function probeFrom(domainId: string): Promise<string> {
  const app = { DomainId: domainId, SpaceName: 'team', AppType: 'JupyterServer' as const, AppName: 'default' };
  apps.push(app);
  await admin.send(new CreateAppCommand(app));
  const d = await waitForStatus(admin, app, ['InService', 'Failed']);
  expect(d.FailureReason).toBeUndefined();
  const cookie = await sessionFrom((await admin.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'alice', SpaceName: 'team' }))).AuthorizedUrl!);
  expect(await runCell(`${server.endpoint}/studio/${domainId}/spaces/team/jupyterserver/default/`, cookie, code(probePort))).toBe('ok');
  return readFile(join(server.dataDir, 'studio', domainId, 'spaces', 'team', 'probe.txt'), 'utf8');
}

it('a PublicInternetOnly app\'s kernel reaches a loopback server on the host (the control)', async () => {
  expect(await probeFrom(publicDomain)).toBe('probe reached');
}, 150_000);

it('a VpcOnly app\'s kernel cannot reach it', async () => {
  expect(await probeFrom(vpcDomain)).toMatch(/^unreachable \(/);
}, 150_000);
