import { loadavg } from 'node:os';
import { startClaryProcess } from './lib/clary-process.js';
import { replay, type LoadResult, type PreparedRequest } from './lib/load.js';
import { clients, cpuMs, createEndpoint, createModelAndConfig, deleteAllEndpoints, endpointInstances, instancePids, round, signedInvokeRequest, uploadSklearnModel, waitInService } from './hosting-support.js';

/**
 * InvokeEndpoint overhead: one sklearn endpoint (1 × ml.m5.large, LinearRegression), the same load
 * (wrk, 32 keep-alive connections) (a) straight to the model server's POST /invocations and (b)
 * through Clary's port as a signed InvokeEndpoint (one SigV4-signed request, replayed). The direct
 * and proxied runs alternate, ROUNDS times each; the median round is reported along with the
 * spread. Targets: throughput ratio ≥ 0.8, added p50 ≤ 1 ms, added p99 ≤ 5 ms. Clary's CPU time
 * (utime + stime from /proc) during (b), and the model server's during both, are reported per request.
 * After each loaded round, one connection each way (no queueing): the latency one request adds.
 */
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const INSTANCE_TYPE = 'ml.m5.large';
const NAME = 'bench-invoke';
const BODY = '1\n2\n3';
/** A pass with one connection (no queueing: what one request costs) after each loaded round. */
const SINGLE_SECONDS = Number(process.env.BENCH_SINGLE_SECONDS ?? 5);

async function groupCpuMs(pids: number[]): Promise<number> {
  let sum = 0;
  for (const p of pids) sum += await cpuMs(p).catch(() => 0);
  return sum;
}

export async function run() {
  const clary = await startClaryProcess();
  const { sm } = clients(clary);
  try {
    const model = await uploadSklearnModel(clary, 'bench-hosting-invoke');
    const env: Record<string, string> = {};
    if (process.env.BENCH_MODEL_SERVER_WORKERS) env.SAGEMAKER_MODEL_SERVER_WORKERS = process.env.BENCH_MODEL_SERVER_WORKERS;
    await createModelAndConfig(sm, NAME, model, INSTANCE_TYPE, env);
    await createEndpoint(sm, NAME, NAME);
    await waitInService(sm, NAME);
    const [instance] = endpointInstances(clary, NAME);
    if (!instance) throw new Error('the endpoint has no instance recorded');
    const pids = await instancePids(instance.group);

    const direct: PreparedRequest = { url: `http://127.0.0.1:${instance.port}/invocations`, method: 'POST', headers: { 'content-type': 'text/csv', accept: 'text/csv' }, body: BODY };
    const proxied = await signedInvokeRequest(clary.endpoint, NAME, BODY, 'text/csv', clary.credentials);
    // Both answer the same bytes.
    const a = await fetch(direct.url, { method: 'POST', headers: direct.headers, body: BODY }).then((r) => r.text());
    const b = await fetch(proxied.url, { method: 'POST', headers: proxied.headers, body: BODY }).then(async (r) => (r.ok ? r.text() : Promise.reject(new Error(`InvokeEndpoint: ${r.status} ${await r.text()}`))));
    if (a !== b) throw new Error(`different answers: direct ${a}, through Clary ${b}`);

    await replay(direct, CONNECTIONS, 1); // warm-up
    await replay(proxied, CONNECTIONS, 1);
    const rounds: { direct: LoadResult; clary: LoadResult; single: { direct: LoadResult; clary: LoadResult }; claryCpuMsPerReq: number; modelCpuMsPerReqDirect: number; modelCpuMsPerReqProxied: number; loadAverage: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const m0 = await groupCpuMs(pids);
      const d = await replay(direct, CONNECTIONS, SECONDS);
      const m1 = await groupCpuMs(pids);
      const c0 = await cpuMs(clary.child.pid!);
      const c = await replay(proxied, CONNECTIONS, SECONDS);
      const c1 = await cpuMs(clary.child.pid!);
      const m2 = await groupCpuMs(pids);
      const d1 = await replay(direct, 1, SINGLE_SECONDS);
      const c1c = await replay(proxied, 1, SINGLE_SECONDS);
      if (d1.errors || c1c.errors) throw new Error(`errors in the one-connection pass of round ${i}`);
      if (d.errors || c.errors) throw new Error(`errors during round ${i}: direct ${d.errors} of ${d.requests}, through Clary ${c.errors} of ${c.requests}`);
      rounds.push({
        direct: d,
        clary: c,
        single: { direct: d1, clary: c1c },
        claryCpuMsPerReq: round((c1 - c0) / c.requests, 3),
        modelCpuMsPerReqDirect: round((m1 - m0) / d.requests, 3),
        modelCpuMsPerReqProxied: round((m2 - m1) / c.requests, 3),
        loadAverage: round(loadavg()[0]!, 1),
      });
    }
    const ratios = rounds.map((r) => r.clary.rps / r.direct.rps);
    const order = ratios.map((_, i) => i).sort((x, y) => ratios[x]! - ratios[y]!);
    const mid = rounds[order[Math.floor(order.length / 2)]!]!;
    return {
      name: 'hosting-invoke',
      instanceType: INSTANCE_TYPE,
      modelServerWorkers: env.SAGEMAKER_MODEL_SERVER_WORKERS ?? 'default',
      modelServerProcesses: pids.length,
      body: 'text/csv, 3 lines (LinearRegression.predict)',
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      // The median round (by throughput ratio):
      directRps: Math.round(mid.direct.rps),
      claryRps: Math.round(mid.clary.rps),
      ratio: round(mid.clary.rps / mid.direct.rps),
      directLatencyMs: { p50: mid.direct.latencyP50Ms, p99: mid.direct.latencyP99Ms },
      claryLatencyMs: { p50: mid.clary.latencyP50Ms, p99: mid.clary.latencyP99Ms },
      addedMs: { p50: round(mid.clary.latencyP50Ms - mid.direct.latencyP50Ms), p99: round(mid.clary.latencyP99Ms - mid.direct.latencyP99Ms) },
      oneConnection: {
        seconds: SINGLE_SECONDS,
        directRps: Math.round(mid.single.direct.rps),
        claryRps: Math.round(mid.single.clary.rps),
        directLatencyMs: { p50: mid.single.direct.latencyP50Ms, p99: mid.single.direct.latencyP99Ms },
        claryLatencyMs: { p50: mid.single.clary.latencyP50Ms, p99: mid.single.clary.latencyP99Ms },
        addedMs: { p50: round(mid.single.clary.latencyP50Ms - mid.single.direct.latencyP50Ms, 3), p99: round(mid.single.clary.latencyP99Ms - mid.single.direct.latencyP99Ms, 3) },
      },
      claryCpuMsPerRequest: mid.claryCpuMsPerReq,
      modelCpuMsPerRequest: mid.modelCpuMsPerReqDirect,
      claryCpuShareOfOneCore: round((mid.claryCpuMsPerReq * mid.clary.rps) / 1000),
      // Every round, for the spread:
      ratioSpread: [round(Math.min(...ratios)), round(Math.max(...ratios))],
      perRound: rounds.map((r) => ({
        directRps: Math.round(r.direct.rps),
        claryRps: Math.round(r.clary.rps),
        ratio: round(r.clary.rps / r.direct.rps),
        addedP50Ms: round(r.clary.latencyP50Ms - r.direct.latencyP50Ms),
        addedP99Ms: round(r.clary.latencyP99Ms - r.direct.latencyP99Ms),
        oneConnectionAddedP50Ms: round(r.single.clary.latencyP50Ms - r.single.direct.latencyP50Ms, 3),
        oneConnectionAddedP99Ms: round(r.single.clary.latencyP99Ms - r.single.direct.latencyP99Ms, 3),
        claryCpuMsPerReq: r.claryCpuMsPerReq,
        modelCpuMsPerReqDirect: r.modelCpuMsPerReqDirect,
        modelCpuMsPerReqProxied: r.modelCpuMsPerReqProxied,
        loadAverage: r.loadAverage,
      })),
      loadAverage: round(loadavg()[0]!, 1),
      loadGenerator: 'wrk -t2',
      target: { ratio: '>= 0.8', addedP50Ms: '<= 1', addedP99Ms: '<= 5' },
    };
  } finally {
    await deleteAllEndpoints(sm).catch((e) => console.error(`[bench] cleanup: ${e}`));
    await clary.stop();
  }
}
