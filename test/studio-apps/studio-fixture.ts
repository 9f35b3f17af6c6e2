import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateDomainCommand, CreateSpaceCommand, CreateUserProfileCommand, DescribeAppCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { userCredentials } from '../../src/studio/user-credentials.js';
import type { TestServer } from '../support/server.js';

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/StudioUser';

/** A domain with user profiles alice and bob, the shared space "team" and alice's private space "alice-private". */
export async function studioFixture(server: TestServer): Promise<{ domainId: string; admin: SageMakerClient; alice: SageMakerClient; bob: SageMakerClient }> {
  const admin = new SageMakerClient(server.clientConfig);
  const iam = new IAMClient(server.clientConfig);
  await iam.send(new CreateRoleCommand({
    RoleName: 'StudioUser',
    AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'StudioUser', PolicyName: 'studio', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' }] }) }));
  iam.destroy();
  const domainId = (await admin.send(new CreateDomainCommand({ DomainName: 'apps', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE_ARN } }))).DomainId!;
  for (const u of ['alice', 'bob']) await admin.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: u }));
  await admin.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'team', SpaceSharingSettings: { SharingType: 'Shared' } }));
  await admin.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'alice-private', SpaceSharingSettings: { SharingType: 'Private' }, OwnershipSettings: { OwnerUserProfileName: 'alice' } }));
  const clientOf = async (user: string) => {
    const c = await userCredentials(server.app.platform.store, server.app.platform.config, domainId, user);
    return new SageMakerClient({ endpoint: server.endpoint, region: server.region, credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey } });
  };
  return { domainId, admin, alice: await clientOf('alice'), bob: await clientOf('bob') };
}

/** Polls DescribeApp until the status is one of `want` (or fails the test with the last status seen). */
export async function waitForStatus(client: SageMakerClient, input: { DomainId: string; SpaceName?: string; UserProfileName?: string; AppType: 'JupyterServer' | 'JupyterLab'; AppName: string }, want: string[], timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const d = await client.send(new DescribeAppCommand(input));
    if (want.includes(d.Status!)) return d;
    if (Date.now() > deadline) throw new Error(`app ${input.AppName} stayed ${d.Status} (${d.FailureReason ?? ''})`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Runs one cell on a new kernel of the app at `base` (through the proxy, with the session `cookie`); resolves with "ok", or the error it raised. */
export async function runCell(base: string, cookie: string, code: string): Promise<string> {
  const { openWebSocket } = await import('./ws-client.js');
  const kernel = (await (await fetch(`${base}api/kernels`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'python3' }) })).json()) as { id: string };
  const ws = await openWebSocket(`${base.replace('http', 'ws')}api/kernels/${kernel.id}/channels`, { cookie });
  if ('status' in ws) throw new Error(`kernel WebSocket refused: ${ws.status}`);
  const msgId = `exec-${Math.random().toString(16).slice(2)}`;
  ws.send(JSON.stringify({
    header: { msg_id: msgId, username: 'test', session: 'test', msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
    parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
    content: { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
  }));
  const reply = JSON.parse(await ws.next((m) => { const j = JSON.parse(m) as { msg_type: string; parent_header: { msg_id?: string } }; return j.msg_type === 'execute_reply' && j.parent_header.msg_id === msgId; }, 90_000)) as { content: { status: string; ename?: string; evalue?: string } };
  ws.close();
  await fetch(`${base}api/kernels/${kernel.id}`, { method: 'DELETE', headers: { cookie } });
  return reply.content.status === 'ok' ? 'ok' : `${reply.content.status}: ${reply.content.ename}: ${reply.content.evalue}`;
}

/** Opens a presigned URL: the session cookie it sets. */
export async function sessionFrom(url: string): Promise<string> {
  const res = await fetch(url, { redirect: 'manual' });
  const c = res.headers.getSetCookie()[0];
  if (res.status !== 302 || !c) throw new Error(`presigned URL refused: ${res.status}`);
  return c.split(';')[0]!;
}
