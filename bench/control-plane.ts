import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { startClaryProcess } from './lib/clary-process.js';
import { replay } from './lib/load.js';
import { signedJsonRequest } from './lib/sign.js';

/**
 * Control plane: signed ListTrainingJobs calls per second over 16 keep-alive connections, Clary vs
 * moto_server (the default python3's moto), the same request bytes to both. Target: Clary ≥ 20× moto.
 */
const CONNECTIONS = 16;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function startMoto(): Promise<{ endpoint: string; stop(): void }> {
  const port = await freePort();
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 400; i++) {
    const ok = await fetch(`${endpoint}/moto-api/`).then((r) => r.ok, () => false);
    if (ok) return { endpoint, stop: () => child.kill('SIGKILL') };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error('moto_server did not start (is moto installed for the default python3? `python3 -m pip install "moto[server]"`)');
}

export async function run() {
  const clary = await startClaryProcess();
  const moto = await startMoto();
  try {
    const body = { MaxResults: 10 };
    const claryReq = await signedJsonRequest(clary.endpoint, 'SageMaker.ListTrainingJobs', body, clary.credentials);
    const motoReq = await signedJsonRequest(moto.endpoint, 'SageMaker.ListTrainingJobs', body, { accessKeyId: 'testing', secretAccessKey: 'testing' });
    await replay(claryReq, CONNECTIONS, 1); // warm-up
    await replay(motoReq, CONNECTIONS, 1);
    const c = await replay(claryReq, CONNECTIONS, SECONDS);
    const m = await replay(motoReq, CONNECTIONS, SECONDS);
    if (c.errors || m.errors) throw new Error(`errors during the run: clary ${c.errors}, moto ${m.errors} (of ${c.requests} / ${m.requests})`);
    return {
      name: 'control-plane',
      operation: 'SageMaker.ListTrainingJobs (signed, empty account)',
      connections: CONNECTIONS,
      seconds: SECONDS,
      claryRps: Math.round(c.rps),
      motoRps: Math.round(m.rps),
      ratio: +(c.rps / m.rps).toFixed(1),
      claryLatencyMs: { p50: c.latencyP50Ms, p99: c.latencyP99Ms },
      motoLatencyMs: { p50: m.latencyP50Ms, p99: m.latencyP99Ms },
      loadGenerator: 'wrk -t2',
      target: '>= 20',
    };
  } finally {
    moto.stop();
    await clary.stop();
  }
}
