import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CreateAppCommand, CreateDomainCommand, CreatePresignedDomainUrlCommand, CreateSpaceCommand, CreateUserProfileCommand, DeleteAppCommand, DescribeAppCommand, ListAppsCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import Database from 'better-sqlite3';
import { openWebSocket, type TestSocket } from '../test/studio-apps/ws-client.js';
import { startClaryProcess, type ClaryProcess } from './lib/clary-process.js';
import { clients, instancePids, median, processMemory, ROLE, round } from './hosting-support.js';

/**
 * Studio apps (Clary issue 7):
 * - start: CreateApp (JupyterServer in a shared space, `system`) → DescribeApp says InService
 *   (polled every 20 ms), RUNS times, each app deleted (→ Deleted) before the next. Target p50 ≤ 5 s.
 * - memory of an idle app: the sum of VmRSS, and of Pss, of the processes in the app's cgroup, just
 *   after InService (the Jupyter server alone) and with one idle kernel; Clary's RSS before and with it.
 * - proxy overhead on a kernel round-trip: `1+1` executed N times on one kernel over its channels
 *   WebSocket, through Clary's proxy (presigned URL → session cookie) and straight to the Jupyter
 *   server's port with its token; send → execute_reply, in alternating rounds on fresh sockets.
 */
const RUNS = Number(process.env.BENCH_STUDIO_RUNS ?? 5);
const ROUNDS = Number(process.env.BENCH_STUDIO_ROUNDS ?? 4);
const PER_ROUND = Number(process.env.BENCH_STUDIO_PER_ROUND ?? 100);
const MB = 1024 * 1024;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

async function waitStatus(sm: SageMakerClient, input: { DomainId: string; SpaceName: string; AppType: 'JupyterServer'; AppName: string }, want: string[], pollMs = 20, timeoutMs = 180_000) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const d = await sm.send(new DescribeAppCommand(input));
    if (want.includes(d.Status!)) return d;
    if (d.Status === 'Failed') throw new Error(`app failed: ${d.FailureReason}`);
    if (performance.now() > deadline) throw new Error(`app stayed ${d.Status}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** The app's runtime record (Jupyter's port and token, base URL, cgroup) from Clary's store. */
function appRuntime(clary: ClaryProcess, spaceName: string): { port: number; token: string; baseUrl: string; group: string } {
  const db = new Database(join(clary.dataDir, 'clary.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare("SELECT doc FROM resources WHERE kind = 'app'").all() as { doc: string }[];
    for (const r of rows) {
      const doc = JSON.parse(r.doc) as { Status: string; SpaceName?: string; Clary: { port: number; token: string; baseUrl: string; handle?: { group?: string } } };
      if (doc.SpaceName === spaceName && doc.Status === 'InService') return { port: doc.Clary.port, token: doc.Clary.token, baseUrl: doc.Clary.baseUrl, group: String(doc.Clary.handle?.group ?? '') };
    }
    throw new Error(`no InService app in space ${spaceName}`);
  } finally {
    db.close();
  }
}

async function cgroupMemory(group: string) {
  const pids = await instancePids(group);
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    const m = await processMemory(pid);
    rss += m.rss;
    pss += m.pss;
  }
  return { rssMB: round(rss / MB, 1), pssMB: round(pss / MB, 1), processes: pids.length };
}

/** Executes `1+1` `n` times on the socket; milliseconds from send to execute_reply each. */
async function roundTrips(sock: TestSocket, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const msgId = `bench-${i}-${Math.random().toString(16).slice(2)}`;
    const msg = JSON.stringify({
      header: { msg_id: msgId, username: 'bench', session: 'bench', msg_type: 'execute_request', version: '5.3', date: new Date().toISOString() },
      parent_header: {}, metadata: {}, channel: 'shell', buffers: [],
      content: { code: '1+1', silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true },
    });
    const t0 = performance.now();
    const reply = sock.next((m) => m.includes(msgId) && m.includes('"execute_reply"'), 30_000);
    sock.send(msg);
    const text = await reply;
    out.push(performance.now() - t0);
    if (!text.includes('"status": "ok"') && !text.includes('"status":"ok"')) throw new Error(`execute_reply not ok: ${text.slice(0, 300)}`);
  }
  return out;
}

export async function run() {
  const clary = await startClaryProcess();
  const { sm } = clients(clary);
  let domainId = '';
  try {
    const claryIdleRss = await clary.rssBytes();
    domainId = (await sm.send(new CreateDomainCommand({ DomainName: 'bench', AuthMode: 'IAM', DefaultUserSettings: { ExecutionRole: ROLE } }))).DomainId!;
    await sm.send(new CreateUserProfileCommand({ DomainId: domainId, UserProfileName: 'bench' }));
    await sm.send(new CreateSpaceCommand({ DomainId: domainId, SpaceName: 'bench', SpaceSharingSettings: { SharingType: 'Shared' } }));
    const APP = { DomainId: domainId, SpaceName: 'bench', AppType: 'JupyterServer' as const, AppName: 'default' };

    // 1. CreateApp → InService.
    const startMs: number[] = [];
    const deleteMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await sm.send(new CreateAppCommand(APP));
      await waitStatus(sm, APP, ['InService']);
      startMs.push(performance.now() - t0);
      const t1 = performance.now();
      await sm.send(new DeleteAppCommand(APP));
      await waitStatus(sm, APP, ['Deleted']);
      deleteMs.push(performance.now() - t1);
    }

    // 2. Memory of an idle app (the server alone).
    await sm.send(new CreateAppCommand(APP));
    await waitStatus(sm, APP, ['InService']);
    await new Promise((r) => setTimeout(r, 3000));
    const rt = appRuntime(clary, 'bench');
    const serverOnly = await cgroupMemory(rt.group);
    const claryWithAppRss = await clary.rssBytes();

    // 3. Kernel round-trips, through the proxy and direct.
    const url = (await sm.send(new CreatePresignedDomainUrlCommand({ DomainId: domainId, UserProfileName: 'bench', SpaceName: 'bench' }))).AuthorizedUrl!;
    const auth = await fetch(url, { redirect: 'manual' });
    const cookie = auth.headers.getSetCookie()[0]?.split(';')[0];
    if (auth.status !== 302 || !cookie) throw new Error(`presigned URL refused: ${auth.status}`);
    const proxyBase = `${clary.endpoint}/studio/${domainId}/spaces/bench/jupyterserver/default/`;
    const directBase = `http://127.0.0.1:${rt.port}${rt.baseUrl}`;
    const kres = await fetch(`${proxyBase}api/kernels`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'python3' }) });
    if (kres.status !== 201) throw new Error(`kernel start: ${kres.status} ${await kres.text()}`);
    const kernelId = ((await kres.json()) as { id: string }).id;
    const open = async (via: 'proxy' | 'direct') => {
      const ws = via === 'proxy'
        ? await openWebSocket(`${proxyBase.replace('http', 'ws')}api/kernels/${kernelId}/channels`, { cookie })
        : await openWebSocket(`${directBase.replace('http', 'ws')}api/kernels/${kernelId}/channels`, { authorization: `token ${rt.token}` });
      if ('status' in ws) throw new Error(`${via} kernel WebSocket refused: ${ws.status}`);
      return ws;
    };
    const proxied: number[] = [];
    const direct: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      for (const via of (r % 2 ? ['direct', 'proxy'] : ['proxy', 'direct']) as ('proxy' | 'direct')[]) {
        const sock = await open(via);
        await roundTrips(sock, 10); // warm-up: the first replies on a fresh socket are slower
        (via === 'proxy' ? proxied : direct).push(...(await roundTrips(sock, PER_ROUND)));
        sock.close();
        await new Promise((res) => setTimeout(res, 200));
      }
    }
    await new Promise((r) => setTimeout(r, 3000));
    const withKernel = await cgroupMemory(rt.group);
    const claryWithKernelRss = await clary.rssBytes();
    await fetch(`${proxyBase}api/kernels/${kernelId}`, { method: 'DELETE', headers: { cookie } });

    const p = (xs: number[]) => ({ p50: round(pct(xs, 50), 2), p99: round(pct(xs, 99), 2) });
    const pr = p(proxied);
    const di = p(direct);
    return {
      name: 'studio-apps',
      appType: 'JupyterServer',
      instanceType: 'system',
      runs: RUNS,
      startP50Ms: Math.round(median(startMs)),
      startMinMs: Math.round(Math.min(...startMs)),
      startMaxMs: Math.round(Math.max(...startMs)),
      startAllMs: startMs.map((x) => Math.round(x)),
      deleteP50Ms: Math.round(median(deleteMs)),
      idleApp: serverOnly,
      idleAppWithKernel: withKernel,
      claryIdleRssMB: round(claryIdleRss / MB, 1),
      claryWithAppRssMB: round(claryWithAppRss / MB, 1),
      claryWithKernelRssMB: round(claryWithKernelRss / MB, 1),
      kernelRoundTrip: {
        cell: '1+1',
        samples: proxied.length,
        rounds: ROUNDS,
        proxyMs: pr,
        directMs: di,
        addedMs: { p50: round(pr.p50 - di.p50, 2), p99: round(pr.p99 - di.p99, 2) },
      },
      loadAverage: round(loadavg()[0]!, 1),
      target: 'start p50 <= 5000 ms',
    };
  } finally {
    if (domainId) {
      try {
        for (const a of (await sm.send(new ListAppsCommand({ DomainIdEquals: domainId, MaxResults: 100 }))).Apps ?? []) {
          const input = { DomainId: domainId, SpaceName: a.SpaceName!, AppType: 'JupyterServer' as const, AppName: a.AppName! };
          if (a.Status === 'InService' || a.Status === 'Pending') await sm.send(new DeleteAppCommand(input));
          if (a.Status !== 'Deleted' && a.Status !== 'Failed') await waitStatus(sm, input, ['Deleted', 'Failed'], 200, 60_000);
        }
      } catch (e) {
        console.error(`[bench] cleanup: ${e}`);
      }
    }
    await clary.stop();
  }
}
