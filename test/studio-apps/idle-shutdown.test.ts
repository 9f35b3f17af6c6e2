/**
 * Idle shutdown: with a 3-second idle limit, an app whose Jupyter reports no kernel, terminal or
 * API activity is deleted by the app controller (Status Deleted), and its server is gone. A user
 * profile's own JupyterServer (UserProfileName instead of SpaceName) runs on the user's home.
 */
import { CreateAppCommand, CreatePresignedDomainUrlCommand, DeleteAppCommand, ListAppsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { studioFixture, waitForStatus } from './studio-fixture.js';

let server: TestServer;
let admin: SageMakerClient;
let alice: SageMakerClient;
let domainId: string;

beforeAll(async () => {
  server = await startTestServer({ appIdleTimeoutSeconds: 3 });
  ({ domainId, admin, alice } = await studioFixture(server));
}, 60_000);

afterAll(async () => {
  for (const a of (await admin?.send(new ListAppsCommand({ DomainIdEquals: domainId, MaxResults: 100 })))?.Apps ?? []) {
    const id = { DomainId: a.DomainId!, SpaceName: a.SpaceName, UserProfileName: a.UserProfileName, AppType: a.AppType as 'JupyterServer', AppName: a.AppName! };
    if (a.Status === 'InService' || a.Status === 'Pending') await admin.send(new DeleteAppCommand(id));
    if (a.Status !== 'Deleted' && a.Status !== 'Failed') await waitForStatus(admin, id, ['Deleted', 'Failed']);
  }
  admin?.destroy();
  alice?.destroy();
  await server?.close();
}, 120_000);

it('deletes an app that has been idle past the limit, and its server stops answering', async () => {
  const app = { DomainId: domainId, UserProfileName: 'alice', AppType: 'JupyterServer' as const, AppName: 'default' };
  await alice.send(new CreateAppCommand(app));
  const up = await waitForStatus(alice, app, ['InService', 'Failed']);
  expect(up.FailureReason).toBeUndefined();
  expect(up.ResourceSpec?.InstanceType).toBe('system');
  const url = (await alice.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'alice' }))).AuthorizedUrl!;
  const login = await fetch(url, { redirect: 'manual' });
  expect(login.headers.get('location')).toBe(`/studio/${domainId}/users/alice/`);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const base = `${server.endpoint}/studio/${domainId}/users/alice/jupyterserver/default/`;
  expect((await fetch(`${base}api/status`, { headers: { cookie } })).status).toBe(200);
  const gone = await waitForStatus(alice, app, ['Deleted', 'Failed'], 90_000);
  expect(gone.Status).toBe('Deleted');
  expect(gone.LastUserActivityTimestamp).toBeInstanceOf(Date);
  expect((await fetch(`${base}api/status`, { headers: { cookie } })).status).toBe(503);
}, 150_000);
