import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { CreateEndpointConfigCommand, CreateModelCommand } from '@aws-sdk/client-sagemaker';
import { c as tarCreate } from 'tar';
import { startClaryProcess } from './lib/clary-process.js';
import { replay, type LoadResult, type PreparedRequest } from './lib/load.js';
import { clients, createEndpoint, deleteAllEndpoints, endpointInstances, ROLE, round, signedInvokeRequest, waitInService } from './hosting-support.js';

/**
 * InvokeEndpoint on the container lane: a bring-your-own image whose `serve` is a small Node HTTP
 * server (the host's node binary and libraries, imported with podman), deployed as an endpoint.
 * The same request bytes, with wrk, go (a) to the same server.js run as a plain process on a host
 * loopback port (no container: the cost of Podman's port publishing), (b) straight to the
 * container's published loopback port, and (c) through Clary as a signed InvokeEndpoint. Each
 * round: one connection (p50 latency of one request, no queueing), then CONNECTIONS connections
 * (throughput). ROUNDS rounds alternate the targets; the median round (by c/b throughput) is reported.
 * Also: CreateEndpoint → InService of the containerised endpoint.
 */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const NAME = 'bench-container-invoke';
const BODY = '1\n2\n3';

const SERVER_JS = `
const http = require('http');
const fs = require('fs');
const port = Number(process.env.SAGEMAKER_BIND_TO_PORT || process.env.PORT || 8080);
const dir = process.env.MODEL_DIR || '/opt/ml/model';
const model = fs.readFileSync(dir + '/model.txt', 'utf8').trim();
http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/ping') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{"status":"healthy"}'); }
  if (req.method === 'POST' && req.url === '/invocations') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { res.writeHead(200, { 'content-type': 'text/csv' }); res.end(model + ':' + Buffer.concat(chunks).toString()); });
    return;
  }
  res.writeHead(404); res.end();
}).listen(port, process.env.HOST || '0.0.0.0', () => console.log('serve: listening on ' + port));
process.on('SIGTERM', () => process.exit(0));
`;

function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return [...out.matchAll(/(\/\S+)\s+\(0x/g)].map((m) => m[1]!);
}

/** The image (node + libraries + server.js; ENTRYPOINT node server.js, so `serve` is its argument), cached by content. */
async function nodeServerImage(): Promise<string> {
  const node = process.execPath;
  const libs = sharedLibraries(node);
  const hash = createHash('sha256').update(SERVER_JS);
  for (const f of [node, ...libs]) {
    const s = await stat(f);
    hash.update(`${f} ${s.size} ${s.mtimeMs}\n`);
  }
  const name = `clary-bench/node-server:${hash.digest('hex').slice(0, 16)}`;
  if (spawnSync('podman', ['image', 'exists', name], { stdio: 'ignore' }).status === 0) return name;
  const work = await mkdtemp(join(tmpdir(), 'clary-bench-image-'));
  try {
    const root = join(work, 'rootfs');
    for (const d of ['opt/ml', 'tmp', 'etc', 'proc', 'sys', 'dev']) await mkdir(join(root, d), { recursive: true });
    for (const f of [node, ...libs]) {
      await mkdir(dirname(join(root, f)), { recursive: true });
      await copyFile(f, join(root, f));
      await chmod(join(root, f), 0o755);
    }
    await writeFile(join(root, 'opt/server.js'), SERVER_JS);
    await writeFile(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    const tarball = join(work, 'rootfs.tar');
    await tarCreate({ cwd: root, file: tarball, portable: false }, ['.']);
    const r = spawnSync('podman', ['import', '--change', `ENTRYPOINT ["${node}", "/opt/server.js"]`, tarball, name], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`podman import failed: ${r.stderr}`);
    return name;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function modelArchive(dir: string): Promise<Buffer> {
  await writeFile(join(dir, 'model.txt'), 'm1\n');
  await tarCreate({ gzip: true, cwd: dir, file: join(dir, 'model.tar.gz'), portable: true }, ['model.txt']);
  const { readFile } = await import('node:fs/promises');
  return readFile(join(dir, 'model.tar.gz'));
}

const post = (url: string): PreparedRequest => ({ url, method: 'POST', headers: { 'content-type': 'text/csv', accept: 'text/csv' }, body: BODY });
const summary = (r: LoadResult) => ({ rps: Math.round(r.rps), p50Ms: r.latencyP50Ms, p99Ms: r.latencyP99Ms });

export async function run() {
  if (process.getuid?.() !== 0 || spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status !== 0) throw new Error('needs root and podman (the container lane)');
  const image = await nodeServerImage();
  const work = await mkdtemp(join(tmpdir(), 'clary-bench-ci-'));
  const clary = await startClaryProcess();
  const { s3, sm } = clients(clary);
  const archive = await modelArchive(work);
  // (a) the same server as a plain process on the host's loopback.
  const hostPort = 20000 + Math.floor(Math.random() * 10000);
  const plain = spawn(process.execPath, ['-e', SERVER_JS], { env: { PORT: String(hostPort), HOST: '127.0.0.1', MODEL_DIR: work }, stdio: 'ignore' });
  try {
    await s3.send(new CreateBucketCommand({ Bucket: 'bench-ci' }));
    await s3.send(new PutObjectCommand({ Bucket: 'bench-ci', Key: 'model.tar.gz', Body: archive }));
    await sm.send(new CreateModelCommand({ ModelName: NAME, ExecutionRoleArn: ROLE, PrimaryContainer: { Image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${image}`, ModelDataUrl: 's3://bench-ci/model.tar.gz' } }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: NAME, ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: NAME, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }));
    // The first endpoint also opens the engine (starts Podman): deploy once to warm it, time the second.
    await createEndpoint(sm, `${NAME}-warm`, NAME);
    await waitInService(sm, `${NAME}-warm`);
    const t0 = performance.now();
    await createEndpoint(sm, NAME, NAME);
    await waitInService(sm, NAME);
    const toInServiceMs = Math.round(performance.now() - t0);
    const [instance] = endpointInstances(clary, NAME);
    if (!instance) throw new Error('the endpoint has no instance recorded');

    const host = post(`http://127.0.0.1:${hostPort}/invocations`);
    const direct = post(`http://127.0.0.1:${instance.port}/invocations`);
    const proxied = await signedInvokeRequest(clary.endpoint, NAME, BODY, 'text/csv', clary.credentials);
    const answers = await Promise.all([host, direct, proxied].map((r) => fetch(r.url, { method: 'POST', headers: r.headers, body: BODY }).then(async (x) => (x.ok ? x.text() : `${x.status} ${await x.text()}`))));
    if (new Set(answers).size !== 1) throw new Error(`different answers: ${answers.join(' | ')}`);
    for (const r of [host, direct, proxied]) await replay(r, CONNECTIONS, 1); // warm-up

    const rounds: { one: Record<'host' | 'direct' | 'clary', LoadResult>; many: Record<'host' | 'direct' | 'clary', LoadResult>; loadAverage: number }[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const one = { host: await replay(host, 1, SECONDS), direct: await replay(direct, 1, SECONDS), clary: await replay(proxied, 1, SECONDS) };
      const many = { host: await replay(host, CONNECTIONS, SECONDS), direct: await replay(direct, CONNECTIONS, SECONDS), clary: await replay(proxied, CONNECTIONS, SECONDS) };
      for (const r of [...Object.values(one), ...Object.values(many)]) if (r.errors) throw new Error(`errors in round ${i}: ${r.errors} of ${r.requests}`);
      rounds.push({ one, many, loadAverage: round(loadavg()[0]!, 1) });
    }
    const ratio = (r: (typeof rounds)[number]) => r.many.clary.rps / r.many.direct.rps;
    const mid = [...rounds].sort((x, y) => ratio(x) - ratio(y))[Math.floor(rounds.length / 2)]!;
    return {
      name: 'container-invoke',
      image: 'node http server (busybox-free rootfs: node + its libraries), ENTRYPOINT node server.js, CMD serve',
      instanceType: 'ml.m5.large',
      body: 'text/csv, 3 lines, echoed with the model file',
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      createEndpointToInServiceMs: toInServiceMs,
      oneConnection: {
        hostProcess: summary(mid.one.host),
        containerPort: summary(mid.one.direct),
        clary: summary(mid.one.clary),
        publishAddedP50Ms: round(mid.one.direct.latencyP50Ms - mid.one.host.latencyP50Ms, 3),
        claryAddedP50Ms: round(mid.one.clary.latencyP50Ms - mid.one.direct.latencyP50Ms, 3),
      },
      manyConnections: {
        hostProcess: summary(mid.many.host),
        containerPort: summary(mid.many.direct),
        clary: summary(mid.many.clary),
        containerVsHostRatio: round(mid.many.direct.rps / mid.many.host.rps),
        claryVsContainerRatio: round(ratio(mid)),
      },
      perRound: rounds.map((r) => ({
        oneP50Ms: { host: r.one.host.latencyP50Ms, container: r.one.direct.latencyP50Ms, clary: r.one.clary.latencyP50Ms },
        rps: { host: Math.round(r.many.host.rps), container: Math.round(r.many.direct.rps), clary: Math.round(r.many.clary.rps) },
        loadAverage: r.loadAverage,
      })),
      loadAverage: round(loadavg()[0]!, 1),
      loadGenerator: 'wrk',
    };
  } finally {
    plain.kill('SIGTERM');
    await deleteAllEndpoints(sm).catch((e) => console.error(`[bench] cleanup: ${e}`));
    await clary.stop();
    await rm(work, { recursive: true, force: true });
  }
}
