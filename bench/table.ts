import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Prints README's performance table from bench/results/*.json (`npx tsx bench/table.ts`). */
const dir = join(new URL('.', import.meta.url).pathname, 'results');
const read = async (name: string): Promise<any> => JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8').catch(() => 'null'));

const rows: string[] = ['| what | Clary | baseline (same run) | ratio / added | target |', '|---|---|---|---|---|'];
const cp = await read('control-plane');
if (cp) rows.push(`| Control plane: signed ListTrainingJobs, 16 connections (wrk) | ${cp.claryRps} req/s (p50 ${cp.claryLatencyMs.p50} ms) | moto_server ${cp.motoRps} req/s | **${cp.ratio}×** | ≥ 20× |`);
const s3 = await read('s3-throughput');
if (s3) {
  rows.push(`| S3 PUT 1 GiB (@aws-sdk/client-s3) | ${s3.putMBps} MB/s | cp ${s3.cpMBps} MB/s; fsynced cp ${s3.cpFsyncMBps} MB/s | **${s3.putRatio}** (vs fsynced cp ${s3.putRatioVsDurableCp}) | ≥ 0.5 |`);
  rows.push(`| S3 GET 1 GiB (@aws-sdk/client-s3) | ${s3.getMBps} MB/s | cp ${s3.cpMBps} MB/s | **${s3.getRatio}** | ≥ 0.5 |`);
}
const st = await read('startup');
if (st) {
  rows.push(`| Cold start to healthy (fresh data dir, p50 of 5) | ${st.coldStartMsP50} ms | — | — | ≤ 1500 ms |`);
  rows.push(`| Idle RSS after start | ${st.idleRssMB} MB | — | — | ≤ 150 MB |`);
}
const tr = await read('training-overhead');
if (tr) {
  rows.push(`| Training job → first line of user code (p50 of ${tr.runs}) | ${tr.jobMs.toFirstLine} ms | bare python ${tr.bareMs.toFirstLine} ms | **+${tr.addedMs.toFirstLine} ms** | ≤ +1000 ms (aim +300) |`);
  rows.push(`| Training job → Completed (p50 of ${tr.runs}) | ${tr.jobMs.toCompleted} ms | bare python ${tr.bareMs.toExit} ms | **+${tr.addedMs.toCompleted} ms** | ≤ +1000 ms (aim +300) |`);
}
const ti = await read('training-input');
if (ti) {
  const gib = (ti.channel.bytes / 1024 ** 3).toFixed(ti.channel.bytes % 1024 ** 3 ? 2 : 0);
  rows.push(`| Training job → every file of a ${gib} GiB channel (${ti.channel.files} files) opened, FastFile (p50 of ${ti.runs}; load avg ${ti.loadAverage}) | ${ti.fastFile.toAllFilesOpenMs} ms (Downloading phase ${ti.fastFile.downloadingMs} ms) | File ${ti.file.toAllFilesOpenMs} ms (Downloading phase ${ti.file.downloadingMs} ms) | **${(ti.file.toAllFilesOpenMs / ti.fastFile.toAllFilesOpenMs).toFixed(1)}× sooner** | < 1000 ms |`);
}
const tb = await read('training-burst');
if (tb) {
  rows.push(`| ${tb.jobs} tiny training jobs submitted at once (${tb.instanceType}; load avg ${tb.loadAverage}) | ${tb.completed}/${tb.jobs} completed, ${tb.lost} lost, ${tb.waitedForCapacity} waited for capacity (≤ ${tb.maxConcurrent} at once): ${(tb.wallMs / 1000).toFixed(1)} s | ${tb.jobs} bare python runs ${(tb.sumBareMs / 1000).toFixed(1)} s; one job ${tb.singleJobMs} ms | ${tb.wallVsSumBare}× bare, ${tb.wallVsSingleJob}× one job | all complete |`);
}
const lr = await read('list-resources');
if (lr) {
  const s = lr.sqlite, p = lr.postgres;
  rows.push(`| ListTrainingJobs-style page of 100 with a filter, 100,000 jobs (SQLite / PostgreSQL) | ${s.records_100000.statusNameContainsPage.medianMs} / ${p.records_100000.statusNameContainsPage.medianMs} ms | 100 jobs: ${s.records_100.statusNameContainsPage.medianMs} / ${p.records_100.statusNameContainsPage.medianMs} ms | — | < 20 ms |`);
}
const pl = await read('placement');
if (pl) rows.push(`| Placement decision with ${pl.queued} queued (median) | ${pl.medianDecisionMicros} µs | full rescan ${pl.rescanBaselineMedianMicros} µs | — | < 1 ms |`);
const rs = await read('runner-start');
if (rs) rows.push(`| Sandbox start (bubblewrap + cgroup) to first output line, p50 | ${rs.sandboxMsP50} ms | bare spawn ${rs.bareMsP50} ms | +${rs.addedMsP50} ms | — |`);
if (rs?.privateNetworkMsP50 !== undefined) rows.push(`| Sandbox start on a private network (own netns, veth, bridge), p50 | ${rs.privateNetworkMsP50} ms | same sandbox on the host network ${rs.sandboxMsP50} ms | +${rs.privateNetworkAddedMsP50} ms | — |`);
const hi = await read('hosting-invoke');
if (hi) {
  const signed = (x: number) => (x >= 0 ? `+${x}` : `${x}`);
  rows.push(`| InvokeEndpoint, sklearn (1 × ${hi.instanceType}, ${hi.modelServerWorkers === 'default' ? 'default workers' : `${hi.modelServerWorkers} workers`}), ${hi.connections} connections (wrk; median of ${hi.rounds} rounds; load avg ${hi.loadAverage}) | ${hi.claryRps} req/s (p50 ${hi.claryLatencyMs.p50} ms, p99 ${hi.claryLatencyMs.p99} ms; Clary CPU ${hi.claryCpuMsPerRequest} ms/req) | model server direct ${hi.directRps} req/s (p50 ${hi.directLatencyMs.p50} ms, p99 ${hi.directLatencyMs.p99} ms) | **${hi.ratio}×** (rounds ${hi.ratioSpread[0]}–${hi.ratioSpread[1]}); ${signed(hi.addedMs.p50)} ms p50, ${signed(hi.addedMs.p99)} ms p99 | ≥ 0.8×; ≤ +1 ms p50, ≤ +5 ms p99 |`);
  const one = hi.oneConnection;
  rows.push(`| InvokeEndpoint, one connection (no queueing) | p50 ${one.claryLatencyMs.p50} ms, p99 ${one.claryLatencyMs.p99} ms | direct p50 ${one.directLatencyMs.p50} ms, p99 ${one.directLatencyMs.p99} ms | **${signed(one.addedMs.p50)} ms p50, ${signed(one.addedMs.p99)} ms p99** | ≤ +1 ms p50, ≤ +5 ms p99 |`);
}
const hs = await read('hosting-start');
if (hs) rows.push(`| CreateEndpoint → InService, sklearn (${hs.instanceType}; p50 of ${hs.runs - 1} with the archive cached) | ${hs.cachedP50Ms} ms (${hs.cachedMinMs}–${hs.cachedMaxMs}); first, downloading the archive: ${hs.firstMs} ms | — | — | ≤ 3000 ms |`);
const hd = await read('hosting-density');
if (hd) rows.push(`| ${hd.requested} sklearn endpoints created at once (${hd.instanceType}; load avg ${hd.loadAverage}) | ${hd.inService} InService (memory is not overcommitted: ${hd.waitingForCapacity} waited for capacity); per endpoint ${hd.rssPerEndpointMB} MB RSS (${hd.pssPerEndpointMB} MB PSS, ${hd.processesPerEndpoint} processes); Clary RSS ${hd.claryRssMB} MB (idle ${hd.claryIdleRssMB} MB) | — | — | — |`);
const sa = await read('studio-apps');
if (sa) {
  const signed = (x: number) => (x >= 0 ? `+${x}` : `${x}`);
  const k = sa.kernelRoundTrip;
  rows.push(`| Studio CreateApp → InService, ${sa.appType} (${sa.instanceType}; p50 of ${sa.runs}, each deleted before the next; load avg ${sa.loadAverage}) | ${sa.startP50Ms} ms (${sa.startMinMs}–${sa.startMaxMs}) | — | — | ≤ 5000 ms |`);
  rows.push(`| Studio app memory, idle (processes in its cgroup) | Jupyter server ${sa.idleApp.rssMB} MB RSS (${sa.idleApp.pssMB} MB PSS, ${sa.idleApp.processes} processes); with one idle kernel ${sa.idleAppWithKernel.rssMB} MB RSS (${sa.idleAppWithKernel.pssMB} MB PSS); Clary RSS ${sa.claryWithAppRssMB} MB with the app (idle ${sa.claryIdleRssMB} MB) | — | — | — |`);
  rows.push(`| Studio kernel round-trip, \`${k.cell}\` over the channels WebSocket (${k.samples} each, ${k.rounds} alternating rounds) | through Clary's proxy p50 ${k.proxyMs.p50} ms, p99 ${k.proxyMs.p99} ms | straight to Jupyter p50 ${k.directMs.p50} ms, p99 ${k.directMs.p99} ms | **${signed(k.addedMs.p50)} ms p50, ${signed(k.addedMs.p99)} ms p99** | — |`);
}
const fl = await read('framework-lanes');
if (fl) {
  rows.push(`| Script-mode sklearn job → first line, container lane vs process lane (p50 of ${fl.runs}, alternating; load avg ${fl.loadAverage}) | container ${fl.containerLaneMs.toFirstLine} ms | process lane ${fl.processLaneMs.toFirstLine} ms | **+${fl.containerMinusProcessMs.toFirstLine} ms** (${fl.ratio.toFirstLine}×) | — |`);
  rows.push(`| Same job → Completed, container lane vs process lane | container ${fl.containerLaneMs.toCompleted} ms | process lane ${fl.processLaneMs.toCompleted} ms | **+${fl.containerMinusProcessMs.toCompleted} ms** (${fl.ratio.toCompleted}×) | — |`);
}
const cn = await read('container-network-start');
if (cn) rows.push(`| Container start (busybox, through the runner) on the job's private network, p50 of ${cn.runs} | ${cn.privateNetworkMsP50} ms (netns + veth alone ${cn.attachDetachMsP50} ms) | same container on the host network ${cn.hostNetworkMsP50} ms | +${cn.privateNetworkAddedMsP50} ms | — |`);
const ci = await read('container-invoke');
if (ci) {
  const one = ci.oneConnection;
  const many = ci.manyConnections;
  rows.push(`| InvokeEndpoint to a containerised model server (BYO image, tiny Node server; one connection, median of ${ci.rounds} rounds; load avg ${ci.loadAverage}) | p50 ${one.clary.p50Ms} ms | container's published port p50 ${one.containerPort.p50Ms} ms; same server as a host process ${one.hostProcess.p50Ms} ms | **+${one.claryAddedP50Ms} ms p50** (publishing adds ${one.publishAddedP50Ms} ms) | ≤ +1 ms p50 |`);
  rows.push(`| Same, ${ci.connections} connections | ${many.clary.rps} req/s | published port ${many.containerPort.rps} req/s; host process ${many.hostProcess.rps} req/s | ${many.claryVsContainerRatio}× the port (${many.containerVsHostRatio}× port vs host process) | — |`);
  rows.push(`| CreateEndpoint → InService, BYO container (engine already running) | ${ci.createEndpointToInServiceMs} ms | — | — | ≤ 3000 ms |`);
}
const sv = await read('space-volumes');
if (sv) rows.push(`| CreateSpace with a 5 GB enforced volume (sparse ext4 image, loop mount), p50 of ${sv.runs} | ${sv.createSpaceWithVolumeMsP50} ms (mkfs ${sv.mkfsClaryOptionsMsP50} ms) | plain directory ${sv.createSpacePlainDirectoryMsP50} ms | +${sv.volumeAddedMsP50} ms | — |`);
console.log(rows.join('\n'));
