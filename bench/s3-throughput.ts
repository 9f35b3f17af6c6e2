import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { startClaryProcess } from './lib/clary-process.js';

/**
 * S3: PUT and GET of a 1 GiB object through @aws-sdk/client-s3, each as a ratio to `cp` of the
 * same file on the same disk (throughput ratio; 1.0 = as fast as cp). Target ≥ 0.5 each way.
 */
const SIZE = Number(process.env.BENCH_S3_BYTES ?? 1024 ** 3);

async function makeFile(path: string, size: number) {
  const fh = await open(path, 'w');
  const chunk = Buffer.alloc(8 * 1024 * 1024);
  for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i);
  for (let written = 0; written < size; written += chunk.length) await fh.write(chunk, 0, Math.min(chunk.length, size - written));
  await fh.sync();
  await fh.close();
}

const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
};

export async function run() {
  const clary = await startClaryProcess();
  const work = await mkdtemp(join(clary.dataDir, '..', 'clary-bench-s3-'));
  try {
    const src = join(work, 'src.bin');
    await makeFile(src, SIZE);
    const cpSeconds = await time(() => copyFile(src, join(work, 'cp.bin')));
    await rm(join(work, 'cp.bin'));
    // A PUT is durable (fsync before the object becomes visible); cp is not. The same copy made
    // durable is the like-for-like reference for PUT, reported beside the plain one.
    const cpSyncSeconds = await time(async () => {
      await copyFile(src, join(work, 'cp.bin'));
      const fh = await open(join(work, 'cp.bin'), 'r+');
      await fh.sync();
      await fh.close();
    });
    await rm(join(work, 'cp.bin'));
    const s3 = new S3Client({ endpoint: clary.endpoint, region: 'us-east-1', credentials: clary.credentials, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const putSeconds = await time(() =>
      s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'big.bin', Body: createReadStream(src), ContentLength: SIZE })),
    );
    const getSeconds = await time(async () => {
      const out = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'big.bin' }));
      await pipeline(out.Body as Readable, createWriteStream(join(work, 'got.bin')));
    });
    const got = await stat(join(work, 'got.bin'));
    if (got.size !== SIZE) throw new Error(`GET returned ${got.size} bytes, expected ${SIZE}`);
    const mbps = (s: number) => +(SIZE / 1024 / 1024 / s).toFixed(0);
    s3.destroy();
    return {
      name: 's3-throughput',
      bytes: SIZE,
      cpMBps: mbps(cpSeconds),
      putMBps: mbps(putSeconds),
      getMBps: mbps(getSeconds),
      cpFsyncMBps: mbps(cpSyncSeconds),
      putRatio: +(cpSeconds / putSeconds).toFixed(2),
      putRatioVsDurableCp: +(cpSyncSeconds / putSeconds).toFixed(2),
      getRatio: +(cpSeconds / getSeconds).toFixed(2),
      target: '>= 0.5 each way',
    };
  } finally {
    await rm(work, { recursive: true, force: true });
    await clary.stop();
  }
}
