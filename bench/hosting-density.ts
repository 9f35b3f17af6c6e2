import { loadavg, totalmem } from 'node:os';
import { DescribeEndpointCommand } from '@aws-sdk/client-sagemaker';
import { startClaryProcess } from './lib/clary-process.js';
import { clients, createEndpoint, createModelAndConfig, deleteAllEndpoints, endpointInstances, instancePids, median, processMemory, round, uploadSklearnModel } from './hosting-support.js';

/**
 * Density: ENDPOINTS small sklearn endpoints (1 instance each, the smallest hosting type) created at
 * once. Placement never overcommits memory, so only as many as the host's memory holds run at once
 * (the rest wait for capacity in Creating); the vCPU overcommit is raised so that vCPUs are not
 * what limits. Reported: how many came InService, the memory of each running endpoint (the sum of
 * VmRSS, and of Pss, of the processes in its instance's cgroup), and Clary's own RSS before and with
 * all of them. All are deleted afterwards.
 */
const ENDPOINTS = Number(process.env.BENCH_DENSITY_ENDPOINTS ?? 20);
const INSTANCE_TYPE = process.env.BENCH_DENSITY_TYPE ?? 'ml.c8g.medium'; // 1 vCPU, 2 GiB: the smallest hosting type
const TYPE_GIB = Number(process.env.BENCH_DENSITY_TYPE_GIB ?? 2);
const MB = 1024 * 1024;

export async function run() {
  const saved = { cpu: process.env.CLARY_QUOTA_CPU_PER_TYPE, agg: process.env.CLARY_QUOTA_AGGREGATE };
  process.env.CLARY_QUOTA_CPU_PER_TYPE = process.env.CLARY_QUOTA_AGGREGATE = String(ENDPOINTS + 10);
  const clary = await startClaryProcess(['--vcpu-overcommit', '16']);
  for (const [k, v] of [['CLARY_QUOTA_CPU_PER_TYPE', saved.cpu], ['CLARY_QUOTA_AGGREGATE', saved.agg]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const { sm } = clients(clary);
  try {
    const idleRss = await clary.rssBytes();
    const model = await uploadSklearnModel(clary, 'bench-hosting-density');
    await createModelAndConfig(sm, 'bench-density', model, INSTANCE_TYPE);
    const names = Array.from({ length: ENDPOINTS }, (_, i) => `bench-density-${String(i).padStart(2, '0')}`);
    const t0 = performance.now();
    await Promise.all(names.map((n) => createEndpoint(sm, n, 'bench-density')));
    // As many as memory holds: floor(host memory / the type's memory), at most ENDPOINTS.
    const fit = Math.min(ENDPOINTS, Math.floor(totalmem() / (TYPE_GIB * 1024 ** 3)));
    let inService: string[] = [];
    let lastChange = performance.now();
    const deadline = performance.now() + 300_000;
    for (;;) {
      const statuses = await Promise.all(names.map((n) => sm.send(new DescribeEndpointCommand({ EndpointName: n }))));
      const failed = statuses.filter((d) => d.EndpointStatus === 'Failed');
      if (failed.length) throw new Error(`${failed.length} endpoint(s) failed: ${failed[0]!.FailureReason}`);
      const now = statuses.filter((d) => d.EndpointStatus === 'InService').map((d) => d.EndpointName!);
      if (now.length !== inService.length) lastChange = performance.now();
      inService = now;
      if (inService.length >= fit || inService.length === ENDPOINTS) break;
      if (inService.length > 0 && performance.now() - lastChange > 20_000) break; // no more placed
      if (performance.now() > deadline) throw new Error(`only ${inService.length} of ${ENDPOINTS} InService after 300 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const upMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 2000)); // let the servers settle after their first /ping
    const perEndpoint: { rssMB: number; pssMB: number; processes: number }[] = [];
    for (const name of inService) {
      for (const inst of endpointInstances(clary, name)) {
        const pids = await instancePids(inst.group);
        let rss = 0;
        let pss = 0;
        for (const pid of pids) {
          const m = await processMemory(pid);
          rss += m.rss;
          pss += m.pss;
        }
        perEndpoint.push({ rssMB: round(rss / MB, 1), pssMB: round(pss / MB, 1), processes: pids.length });
      }
    }
    const sumRss = perEndpoint.reduce((a, e) => a + e.rssMB, 0);
    const sumPss = perEndpoint.reduce((a, e) => a + e.pssMB, 0);
    const claryRss = await clary.rssBytes();
    return {
      name: 'hosting-density',
      instanceType: INSTANCE_TYPE,
      requested: ENDPOINTS,
      inService: inService.length,
      waitingForCapacity: ENDPOINTS - inService.length,
      hostMemoryGiB: round(totalmem() / 1024 ** 3, 1),
      toAllPlacedInServiceMs: Math.round(upMs),
      rssPerEndpointMB: round(sumRss / perEndpoint.length, 1),
      rssPerEndpointMedianMB: median(perEndpoint.map((e) => e.rssMB)),
      pssPerEndpointMB: round(sumPss / perEndpoint.length, 1),
      processesPerEndpoint: median(perEndpoint.map((e) => e.processes)),
      claryIdleRssMB: round(idleRss / MB, 1),
      claryRssMB: round(claryRss / MB, 1),
      perEndpoint,
      vcpuOvercommit: 16,
      loadAverage: round(loadavg()[0]!, 1),
    };
  } finally {
    await deleteAllEndpoints(sm).catch((e) => console.error(`[bench] cleanup: ${e}`));
    await clary.stop();
  }
}
