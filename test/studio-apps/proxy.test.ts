/**
 * Studio apps end to end: CreateApp runs a real Jupyter server in a sandbox on the space's
 * directory; presigned URLs give browser sessions (cookie jar by hand); the proxy forwards HTTP
 * and kernel WebSockets for users who may open the space and refuses the others; the audit log
 * attributes each request to its user.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CreateAppCommand, CreatePresignedDomainUrlCommand, DeleteAppCommand, DeleteSpaceCommand, DescribeAppCommand, DescribeSpaceCommand, ListAppsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCell, studioFixture, waitForStatus } from './studio-fixture.js';
import { openWebSocket, type TestSocket } from './ws-client.js';

let server: TestServer;
let admin: SageMakerClient;
let alice: SageMakerClient;
let bob: SageMakerClient;
let domainId: string;
const TEAM_APP = () => ({ DomainId: domainId, SpaceName: 'team', AppType: 'JupyterServer' as const, AppName: 'default' });
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: { name: string; message: string }) => e);

/** Opens a presigned URL as a browser would: the cookie it sets, and where it lands. */
async function login(url: string): Promise<{ status: number; cookie?: string; location?: string; body: string }> {
  const res = await fetch(url, { redirect: 'manual' });
  const setCookie = res.headers.getSetCookie()[0];
  return { status: res.status, cookie: setCookie?.split(';')[0], location: res.headers.get('location') ?? undefined, body: await res.text() };
}

const presign = async (client: SageMakerClient, user: string, space?: string, extra: Record<string, unknown> = {}) =>
  (await client.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: user, SpaceName: space, ...extra }))).AuthorizedUrl!;

beforeAll(async () => {
  server = await startTestServer();
  ({ domainId, admin, alice, bob } = await studioFixture(server));
}, 60_000);

afterAll(async () => {
  for (const a of (await admin?.send(new ListAppsCommand({ DomainIdEquals: domainId, MaxResults: 100 })))?.Apps ?? []) {
    if (a.Status === 'InService' || a.Status === 'Pending') await admin.send(new DeleteAppCommand({ DomainId: a.DomainId!, SpaceName: a.SpaceName, UserProfileName: a.UserProfileName, AppType: a.AppType!, AppName: a.AppName! }));
  }
  for (const a of (await admin?.send(new ListAppsCommand({ DomainIdEquals: domainId, MaxResults: 100 })))?.Apps ?? []) {
    if (a.Status === 'Deleting') await waitForStatus(admin, { DomainId: a.DomainId!, SpaceName: a.SpaceName, UserProfileName: a.UserProfileName, AppType: a.AppType as 'JupyterServer', AppName: a.AppName! }, ['Deleted', 'Failed']);
  }
  for (const c of [admin, alice, bob]) c?.destroy();
  await server?.close();
}, 120_000);

describe('the Apps API', () => {
  it('refuses what it cannot run and what does not exist, in SageMaker\'s error shapes', async () => {
    let e = await fail(alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'team', AppType: 'CodeEditor', AppName: 'default' })));
    expect(e.name).toBe('ValidationException');
    expect(e.message).toMatch(/CodeEditor is not supported/);
    e = await fail(alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'team', UserProfileName: 'alice', AppType: 'JupyterServer', AppName: 'default' })));
    expect(e.name).toBe('ValidationException');
    e = await fail(alice.send(new DescribeAppCommand({ DomainId: domainId, SpaceName: 'team', AppType: 'JupyterServer', AppName: 'nope' })));
    expect(e.name).toBe('ResourceNotFound');
    e = await fail(bob.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'alice-private', AppType: 'JupyterServer', AppName: 'default' })));
    expect(e.name).toBe('ResourceNotFound');
    e = await fail(alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'nowhere', AppType: 'JupyterServer', AppName: 'default' })));
    expect(e.name).toBe('ResourceNotFound');
  });

  it('runs a shared space\'s JupyterServer: Pending → InService, listed with filters; a second one is ResourceInUse', async () => {
    const arn = (await alice.send(new CreateAppCommand({ ...TEAM_APP(), ResourceSpec: { InstanceType: 'ml.t3.medium' } }))).AppArn!;
    expect(arn).toBe(`arn:aws:sagemaker:us-east-1:000000000000:app/${domainId}/team/jupyterserver/default`);
    const d = await waitForStatus(alice, TEAM_APP(), ['InService', 'Failed']);
    expect(d.FailureReason).toBeUndefined();
    expect(d.Status).toBe('InService');
    expect(d.ResourceSpec?.InstanceType).toBe('ml.t3.medium');
    expect((await fail(alice.send(new CreateAppCommand(TEAM_APP())))).name).toBe('ResourceInUse');
    const listed = await bob.send(new ListAppsCommand({ DomainIdEquals: domainId, SpaceNameEquals: 'team' }));
    expect(listed.Apps?.map((a) => [a.SpaceName, a.AppName, a.Status])).toEqual([['team', 'default', 'InService']]);
    expect((await bob.send(new ListAppsCommand({ DomainIdEquals: domainId, UserProfileNameEquals: 'alice' }))).Apps).toEqual([]);
  }, 180_000);
});

describe('presigned URLs and the proxy', () => {
  let aliceCookie: string;
  let bobCookie: string;
  let base: string;

  it('alice\'s URL opens the shared space\'s Jupyter: a notebook via the contents API, a kernel cell over the WebSocket writes a file', async () => {
    const url = await presign(alice, 'alice', 'team');
    expect(url).toMatch(new RegExp(`^${server.endpoint}/studio/${domainId}/auth\\?token=[A-Za-z0-9_-]{40,}$`));
    const first = await login(url);
    expect(first.status).toBe(302);
    expect(first.cookie).toMatch(/^clary_studio_session=/);
    aliceCookie = first.cookie!;
    const landing = await fetch(`${server.endpoint}${first.location}`, { redirect: 'manual', headers: { cookie: aliceCookie } });
    expect(landing.status).toBe(302);
    base = `${server.endpoint}${landing.headers.get('location')}`;
    expect(base).toBe(`${server.endpoint}/studio/${domainId}/spaces/team/jupyterserver/default/`);
    const nb = await fetch(`${base}api/contents`, { method: 'POST', headers: { cookie: aliceCookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'notebook' }) });
    expect(nb.status).toBe(201);
    expect(((await nb.json()) as { path: string }).path).toMatch(/\.ipynb$/);
    const kernel = (await (await fetch(`${base}api/kernels`, { method: 'POST', headers: { cookie: aliceCookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'python3' }) })).json()) as { id: string };
    expect(kernel.id).toMatch(/^[0-9a-f-]{36}$/);
    const ws = await openWebSocket(`${base.replace('http', 'ws')}api/kernels/${kernel.id}/channels`, { cookie: aliceCookie });
    expect('status' in ws ? ws.status : 101).toBe(101);
    const sock = ws as TestSocket;
    const msgId = `exec-${Date.now()}`;
    sock.send(JSON.stringify({
      header: { msg_id: msgId, username: 'alice', session: 'test', msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
      parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
      content: { code: `import os\nopen(os.path.expanduser('~/from-alice.txt'), 'w').write('written by a kernel; data dir visible: ' + str(os.path.exists(${JSON.stringify(join(server.dataDir, 'clary.db'))})))`, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
    }));
    const reply = JSON.parse(await sock.next((m) => { const j = JSON.parse(m) as { msg_type: string; parent_header: { msg_id?: string } }; return j.msg_type === 'execute_reply' && j.parent_header.msg_id === msgId; }, 90_000)) as { content: { status: string } };
    sock.close();
    expect(reply.content.status).toBe('ok');
    expect(await readFile(join(server.dataDir, 'studio', domainId, 'spaces', 'team', 'from-alice.txt'), 'utf8')).toBe('written by a kernel; data dir visible: False');
  }, 180_000);

  it('bob\'s session reaches the same Jupyter and sees alice\'s file', async () => {
    const l = await login(await presign(bob, 'bob', 'team', { LandingUri: 'app:JupyterServer:' }));
    expect(l.status).toBe(302);
    expect(l.location).toBe(`/studio/${domainId}/spaces/team/jupyterserver/`);
    bobCookie = l.cookie!;
    const file = await fetch(`${base}api/contents/from-alice.txt?content=1`, { headers: { cookie: bobCookie } });
    expect(file.status).toBe(200);
    expect(((await file.json()) as { content: string }).content).toBe('written by a kernel; data dir visible: False');
  });

  it('kernels run as the space\'s HomeEfsFileSystemUid and the Studio group, not root; their files are the space\'s', async () => {
    const uid = Number((await admin.send(new DescribeSpaceCommand({ DomainId: domainId, SpaceName: 'team' }))).HomeEfsFileSystemUid);
    expect(uid).toBeGreaterThan(0);
    expect(await runCell(base, bobCookie, "import os\nopen(os.path.expanduser('~/whoami.txt'), 'w').write(f'{os.getuid()}:{os.getgid()}:{os.geteuid()}:{os.getgroups()}')")).toBe('ok');
    const file = join(server.dataDir, 'studio', domainId, 'spaces', 'team', 'whoami.txt');
    expect(await readFile(file, 'utf8')).toBe(`${uid}:1001:${uid}:[]`);
    expect(((await stat(file)).uid)).toBe(uid);
  }, 120_000);

  it('kernels act with the execution role (container credentials from Clary), like a training job', async () => {
    const code = "import os, boto3\nsts = boto3.client('sts', endpoint_url=os.environ['AWS_ENDPOINT_URL'], region_name=os.environ['AWS_REGION'])\nopen(os.path.expanduser('~/identity.txt'), 'w').write(sts.get_caller_identity()['Arn'])";
    expect(await runCell(base, bobCookie, code)).toBe('ok');
    expect(await readFile(join(server.dataDir, 'studio', domainId, 'spaces', 'team', 'identity.txt'), 'utf8')).toMatch(/^arn:aws:sts::000000000000:assumed-role\/StudioUser\/app-[0-9a-f]{16}$/);
  }, 120_000);

  it('a reused or expired URL is refused', async () => {
    const url = await presign(admin, 'alice', 'team', { ExpiresInSeconds: 5 });
    expect((await login(url)).status).toBe(302);
    const again = await login(url);
    expect(again.status).toBe(403);
    expect(again.cookie).toBeUndefined();
    expect(again.body).toMatch(/already used/);
    const short = await presign(alice, 'alice', 'team', { ExpiresInSeconds: 5 });
    await new Promise((r) => setTimeout(r, 6000));
    const late = await login(short);
    expect(late.status).toBe(403);
    expect(late.body).toMatch(/expired/);
    expect((await login(`${server.endpoint}/studio/${domainId}/auth?token=${'x'.repeat(43)}`)).status).toBe(403);
  }, 30_000);

  it('another user\'s private space: refused at the API, 403 at the proxy for HTTP and WebSockets', async () => {
    expect((await fail(presign(bob, 'bob', 'alice-private'))).name).toBe('ResourceNotFound');
    expect((await fail(presign(admin, 'bob', 'alice-private'))).name).toBe('ValidationException');
    expect((await fail(presign(bob, 'alice', 'team'))).name).toBe('AccessDeniedException');
    expect((await fail(presign(alice, 'alice', 'team', { ExpiresInSeconds: 301 }))).name).toBe('ValidationException');
    await alice.send(new CreateAppCommand({ DomainId: domainId, SpaceName: 'alice-private', AppType: 'JupyterServer', AppName: 'default' }));
    await waitForStatus(alice, { DomainId: domainId, SpaceName: 'alice-private', AppType: 'JupyterServer', AppName: 'default' }, ['InService']);
    const privateBase = `${server.endpoint}/studio/${domainId}/spaces/alice-private/jupyterserver/default/`;
    const asBob = await fetch(`${privateBase}api/contents`, { headers: { cookie: bobCookie } });
    expect(asBob.status).toBe(403);
    expect(await asBob.text()).toMatch(/Forbidden: user profile bob may not open this space/);
    const wsBob = await openWebSocket(`${privateBase.replace('http', 'ws')}api/kernels/x/channels`, { cookie: bobCookie });
    expect(wsBob).toEqual({ status: 403 });
    expect((await fetch(`${privateBase}api/contents`, { headers: { cookie: aliceCookie } })).status).toBe(200);
    expect((await fetch(`${base}api/contents`)).status).toBe(403);
    expect((await bob.send(new ListAppsCommand({ DomainIdEquals: domainId }))).Apps?.map((a) => a.SpaceName)).toEqual(['team']);
    expect((await fail(bob.send(new DescribeAppCommand({ DomainId: domainId, SpaceName: 'alice-private', AppType: 'JupyterServer', AppName: 'default' })))).name).toBe('ResourceNotFound');
  }, 180_000);

  it('the audit log attributes each request to its user and space', async () => {
    const lines = (await readFile(join(server.dataDir, 'audit', 'studio.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ user: 'alice', owner: 'space:team', method: 'POST', path: `/studio/${domainId}/spaces/team/jupyterserver/default/api/contents`, status: 201, kind: 'http' }));
    expect(lines).toContainEqual(expect.objectContaining({ user: 'alice', owner: 'space:team', kind: 'websocket', status: 101 }));
    expect(lines).toContainEqual(expect.objectContaining({ user: 'bob', owner: 'space:team', path: `/studio/${domainId}/spaces/team/jupyterserver/default/api/contents/from-alice.txt`, status: 200 }));
    expect(lines).toContainEqual(expect.objectContaining({ user: 'bob', owner: 'space:alice-private', status: 403 }));
    expect(JSON.stringify(lines)).not.toMatch(/token=/);
  });

  it('DeleteApp: Deleting → Deleted; the proxy then has no server to reach; DeleteSpace waits for its apps', async () => {
    const inUse = await fail(admin.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: 'team' })));
    expect([inUse.name, inUse.message]).toEqual(['ResourceInUse', expect.stringMatching(/because App\(s\) are associated with it/)]);
    await alice.send(new DeleteAppCommand(TEAM_APP()));
    expect((await fail(alice.send(new DeleteAppCommand(TEAM_APP())))).name).toBe('ResourceInUse');
    await waitForStatus(alice, TEAM_APP(), ['Deleted']);
    expect((await fetch(`${base}api/contents`, { headers: { cookie: aliceCookie } })).status).toBe(503);
    await admin.send(new DeleteSpaceCommand({ DomainId: domainId, SpaceName: 'team' }));
  }, 60_000);
});
