import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, open, readFile, rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import type { Readable } from 'node:stream';
import { startClaryProcess } from './lib/clary-process.js';

/**
 * S3: PUT and GET of a 1 GiB object through @aws-sdk/client-s3, each as a ratio to `cp` of the
 * same file on the same disk (throughput ratio; 1.0 = as fast as cp). Target ≥ 0.5 each way.
 *
 * Beside the wall-clock ratios it reports where the CPU went, so a slow figure can be blamed on
 * the right side: Clary's CPU seconds per GiB (from /proc, all its threads), the benchmark
 * process's (the SDK client's), and the same PUT and GET made with curl (a client that costs
 * almost nothing) — the curl ratios are what Clary itself allows. Rounds alternate cp, SDK and
 * curl back to back; each figure is the median of the rounds (the machine is shared).
 */
const SIZE = Number(process.env.BENCH_S3_BYTES ?? 1024 ** 3);
const ROUNDS = Number(process.env.BENCH_S3_ROUNDS ?? 3);
const run_ = promisify(execFile);

async function makeFile(path: string, size: number) {
  const fh = await open(path, 'w');
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  for (let written = 0; written < size; written += chunk.length) await fh.write(chunk, 0, Math.min(chunk.length, size - written));
  await fh.sync();
  await fh.close();
}

/** CPU seconds (user + system, all threads) a process has used so far. */
async function cpuOf(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

interface Sample {
  seconds: number;
  serverCpu: number;
  clientCpu: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run() {
  const clary = await startClaryProcess();
  const work = await mkdtemp(join(clary.dataDir, '..', 'clary-bench-s3-'));
  const pid = clary.child.pid!;
  const measure = async (fn: () => Promise<unknown>): Promise<Sample> => {
    const s0 = await cpuOf(pid);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    return { seconds, serverCpu: (await cpuOf(pid)) - s0, clientCpu: (c.user + c.system) / 1e6 };
  };
  try {
    const src = join(work, 'src.bin');
    const got = join(work, 'got.bin');
    await makeFile(src, SIZE);
    const s3 = new S3Client({ endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const presign = presigner(clary.endpoint, clary.credentials);
    const samples: Record<'cp' | 'cpSync' | 'put' | 'get' | 'curlPut' | 'curlGet', Sample[]> = { cp: [], cpSync: [], put: [], get: [], curlPut: [], curlGet: [] };
    for (let round = 0; round < ROUNDS; round++) {
      samples.cp.push(await measure(() => copyFile(src, join(work, 'cp.bin'))));
      await rm(join(work, 'cp.bin'));
      // A PUT is durable (fsync before the object becomes visible); cp is not. The same copy made
      // durable is the like-for-like reference for PUT, reported beside the plain one.
      samples.cpSync.push(
        await measure(async () => {
          await copyFile(src, join(work, 'cp.bin'));
          const fh = await open(join(work, 'cp.bin'), 'r+');
          await fh.sync();
          await fh.close();
        }),
      );
      await rm(join(work, 'cp.bin'));
      samples.put.push(await measure(() => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'big.bin', Body: createReadStream(src), ContentLength: SIZE }))));
      samples.get.push(
        await measure(async () => {
          const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'big.bin' }));
          await pipeline(out.Body as Readable, createWriteStream(got));
        }),
      );
      if ((await stat(got)).size !== SIZE) throw new Error(`GET returned ${(await stat(got)).size} bytes, expected ${SIZE}`);
      await rm(got);
      const putUrl = await presign('PUT', 'curl.bin');
      samples.curlPut.push(await measure(() => run_('curl', ['-sSf', '-T', src, '-o', '/dev/null', putUrl])));
      const getUrl = await presign('GET', 'curl.bin');
      samples.curlGet.push(await measure(() => run_('curl', ['-sSf', '-o', got, getUrl])));
      if ((await stat(got)).size !== SIZE) throw new Error('curl GET returned a short file');
      await rm(got);
    }
    s3.destroy();
    const secs = (k: keyof typeof samples) => median(samples[k].map((s) => s.seconds));
    const mbps = (s: number) => +(SIZE / 1024 / 1024 / s).toFixed(0);
    const perGiB = (k: keyof typeof samples, side: 'serverCpu' | 'clientCpu') => +(median(samples[k].map((s) => s[side])) / (SIZE / 1024 ** 3)).toFixed(2);
    const ratio = (k: keyof typeof samples, ref: keyof typeof samples = 'cp') => +(median(samples[k].map((s, i) => samples[ref][i]!.seconds / s.seconds))).toFixed(2);
    return {
      name: 's3-throughput',
      bytes: SIZE,
      rounds: ROUNDS,
      cpMBps: mbps(secs('cp')),
      putMBps: mbps(secs('put')),
      getMBps: mbps(secs('get')),
      cpFsyncMBps: mbps(secs('cpSync')),
      putRatio: ratio('put'),
      putRatioVsDurableCp: ratio('put', 'cpSync'),
      getRatio: ratio('get'),
      curlPutRatio: ratio('curlPut'),
      curlGetRatio: ratio('curlGet'),
      cpuSecondsPerGiB: {
        putServer: perGiB('put', 'serverCpu'),
        putClient: perGiB('put', 'clientCpu'),
        getServer: perGiB('get', 'serverCpu'),
        getClient: perGiB('get', 'clientCpu'),
        curlPutServer: perGiB('curlPut', 'serverCpu'),
        curlGetServer: perGiB('curlGet', 'serverCpu'),
      },
      loadAverage: +loadavg()[0]!.toFixed(1),
      target: '>= 0.5 each way',
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await clary.stop();
  }
}

/** A presigned URL (UNSIGNED-PAYLOAD) for curl, which signs nothing itself. */
function presigner(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 's3', sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
  return async (method: 'GET' | 'PUT', key: string) => {
    const req = await signer.presign(
      new HttpRequest({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/bench/${key}`, headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } }),
      { expiresIn: 3600 },
    );
    const q = new URLSearchParams(req.query as Record<string, string>).toString();
    return `${endpoint}/bench/${key}?${q}`;
  };
}
