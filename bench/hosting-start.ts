import { loadavg } from 'node:os';
import { startClaryProcess } from './lib/clary-process.js';
import { clients, createEndpoint, createModelAndConfig, deleteAllEndpoints, deleteEndpoint, median, round, uploadSklearnModel, waitInService } from './hosting-support.js';

/**
 * Endpoint start: CreateEndpoint → DescribeEndpoint says InService (polled every 20 ms), for an
 * sklearn model (1 × ml.m5.large), RUNS times, each endpoint deleted before the next. The model's
 * archive is downloaded and extracted once per model, so the first run is reported apart from the
 * p50 of the others (archive cached). Target: p50 ≤ 3 s.
 */
const RUNS = Number(process.env.BENCH_START_RUNS ?? 10);
const INSTANCE_TYPE = 'ml.m5.large';

export async function run() {
  const clary = await startClaryProcess();
  const { sm } = clients(clary);
  try {
    const model = await uploadSklearnModel(clary, 'bench-hosting-start');
    await createModelAndConfig(sm, 'bench-start', model, INSTANCE_TYPE);
    const ms: number[] = [];
    const deleteMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const name = `bench-start-${i}`;
      const t0 = performance.now();
      await createEndpoint(sm, name, 'bench-start');
      await waitInService(sm, name);
      ms.push(performance.now() - t0);
      const t1 = performance.now();
      await deleteEndpoint(sm, name);
      deleteMs.push(performance.now() - t1);
    }
    const cached = ms.slice(1);
    return {
      name: 'hosting-start',
      instanceType: INSTANCE_TYPE,
      runs: RUNS,
      firstMs: Math.round(ms[0]!),
      cachedP50Ms: Math.round(median(cached)),
      cachedMinMs: Math.round(Math.min(...cached)),
      cachedMaxMs: Math.round(Math.max(...cached)),
      allMs: ms.map((x) => Math.round(x)),
      deleteP50Ms: Math.round(median(deleteMs)),
      loadAverage: round(loadavg()[0]!, 1),
      target: 'p50 <= 3000 ms',
    };
  } finally {
    await deleteAllEndpoints(sm).catch((e) => console.error(`[bench] cleanup: ${e}`));
    await clary.stop();
  }
}
