/**
 * Apps outlive Clary: a restart on the same data dir adopts the running Jupyter server (still
 * InService, same server: a file written before is there, the session cookie still works), and
 * the app can then be deleted. Also: the "ml.X for spaces" quota is checked on CreateApp, and a
 * running app is metered as workload "app". A stray sandbox no app names is swept at start.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateAppCommand, DeleteAppCommand, CreatePresignedDomainUrlCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { afterAll, expect, it } from 'vitest';
import { quotaTable, setQuotaValue } from '../../src/compute/quotas/index.js';
import { ALLOCATION_KIND } from '../../src/compute/metering/allocation.js';
import { ProcessRunner } from '../../src/runners/process/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { studioFixture, waitForStatus } from './studio-fixture.js';

let dataDir: string;
let server: TestServer | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 120_000);

it('adopts a running app after a restart; quotas and metering apply', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'clary-apps-restart-'));
  server = await startTestServer({ dataDir });
  const f = await studioFixture(server);
  const app = { DomainId: f.domainId, SpaceName: 'team', AppType: 'JupyterLab' as const, AppName: 'default', ResourceSpec: { InstanceType: 'ml.m5.large' as const } };
  const { store, config } = server.app.platform;
  await setQuotaValue(store, quotaTable(config.quotas).perType('app', 'ml.m5.large')!, 0, { scope: config, setBy: 'test', now: Date.now() });
  const refused = await f.alice.send(new CreateAppCommand(app)).then(() => undefined, (e: Error) => e);
  expect(refused?.name).toBe('ResourceLimitExceeded');
  expect(refused?.message).toMatch(/ml\.m5\.large for spaces/);
  await setQuotaValue(store, quotaTable(config.quotas).perType('app', 'ml.m5.large')!, 1, { scope: config, setBy: 'test', now: Date.now() });
  await f.alice.send(new CreateAppCommand(app));
  const id = { DomainId: app.DomainId, SpaceName: app.SpaceName, AppType: app.AppType, AppName: app.AppName };
  await waitForStatus(f.alice, id, ['InService']);
  const open = (await store.listResources<{ workload: string; instanceType: string; endTime: number | null }>({ kind: ALLOCATION_KIND, limit: 100 })).items.filter((r) => r.doc.workload === 'app');
  expect(open.map((r) => [r.doc.instanceType, r.doc.endTime ?? null])).toEqual([['ml.m5.large', null]]);
  const url = (await f.alice.send(new CreatePresignedDomainUrlCommand({ DomainId: f.domainId, UserProfileName: 'alice', SpaceName: 'team' }))).AuthorizedUrl!;
  const login = await fetch(url, { redirect: 'manual' });
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const base = `/studio/${f.domainId}/spaces/team/jupyterlab/default/`;
  const put = await fetch(`${server.endpoint}${base}api/contents/before-restart.txt`, { method: 'PUT', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'file', format: 'text', content: 'kept' }) });
  expect(put.status).toBe(201);
  const started = Date.parse(((await (await fetch(`${server.endpoint}${base}api/status`, { headers: { cookie } })).json()) as { started: string }).started);
  expect(Number.isFinite(started)).toBe(true);
  for (const c of [f.admin, f.alice, f.bob]) c.destroy();
  await server.close();
  // A sandbox under the apps' run root that no app names (as if Clary died before recording it): swept at start.
  const stray = await new ProcessRunner({ runRoot: join(dataDir, 'app-runs'), groupPrefix: 'app-' }).start({
    id: 'app-stray', command: ['/bin/sleep', '300'], env: {}, mounts: [], limits: { vcpus: 1, memoryBytes: 256 * 1024 ** 2 }, network: { mode: 'host' },
  });
  expect(existsSync(join(dataDir, 'app-runs', 'app-stray'))).toBe(true);

  server = await startTestServer({ dataDir });
  expect(existsSync(join(dataDir, 'app-runs', 'app-stray'))).toBe(false);
  expect((await stray.wait()).signal).toBe('SIGKILL');
  const admin = new SageMakerClient(server.clientConfig);
  try {
    expect((await waitForStatus(admin, id, ['InService', 'Failed'])).Status).toBe('InService');
    // The same server (its start time), reached on the new Clary's port with the old session.
    const status = (await (await fetch(`${server.endpoint}${base}api/status`, { headers: { cookie } })).json()) as { started: string };
    expect(Date.parse(status.started)).toBe(started);
    const file = await fetch(`${server.endpoint}${base}api/contents/before-restart.txt?content=1`, { headers: { cookie } });
    expect(((await file.json()) as { content: string }).content).toBe('kept');
    await admin.send(new DeleteAppCommand(id));
    expect((await waitForStatus(admin, id, ['Deleted'])).Status).toBe('Deleted');
    const closed = (await server.app.platform.store.listResources<{ workload: string; endTime: number | null }>({ kind: ALLOCATION_KIND, limit: 100 })).items.filter((r) => r.doc.workload === 'app');
    expect(closed.every((r) => typeof r.doc.endTime === 'number')).toBe(true);
  } finally {
    admin.destroy();
  }
}, 240_000);
