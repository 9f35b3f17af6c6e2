import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';

interface Running {
  child: ChildProcess;
  s3: S3Client;
}

async function launch(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'clary-process.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`clary exited early (${code})`)));
  });
  const info = JSON.parse(line) as { endpoint: string; accessKeyId: string; secretAccessKey: string };
  const s3 = new S3Client({ endpoint: info.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: info, maxAttempts: 1 });
  return { child, s3 };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('S3: kill -9 mid-upload', () => {
  let dataDir: string;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves every object whole or absent after a restart, and sweeps the leftovers', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clary-crash-'));
    const first = await launch(dataDir);
    children.push(first.child);
    await first.s3.send(new CreateBucketCommand({ Bucket: 'crash' }));
    const expected = new Map<string, string>();
    // Objects that finished before the crash must survive it.
    for (let i = 0; i < 3; i++) {
      const data = randomBytes(100_000 + i);
      await first.s3.send(new PutObjectCommand({ Bucket: 'crash', Key: `done/${i}`, Body: data }));
      expected.set(`done/${i}`, sha(data));
    }
    const sizes = [1024, 512 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024, 16 * 1024 * 1024, 32 * 1024 * 1024];
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    };
    const uploads = sizes.map((size, i) => {
      const data = randomBytes(size);
      const key = `inflight/${i}`;
      expected.set(key, sha(data));
      let sent = 0;
      const body = Readable.from(
        (async function* () {
          for (let at = 0; at < data.length; at += 256 * 1024) {
            const chunk = data.subarray(at, at + 256 * 1024);
            sent += chunk.length;
            // The biggest upload pulls the trigger a quarter of the way in.
            if (i === sizes.length - 1 && sent >= size / 4) kill();
            yield chunk;
          }
        })(),
      );
      return first.s3.send(new PutObjectCommand({ Bucket: 'crash', Key: key, Body: body, ContentLength: size })).then(() => 'ok', () => 'failed');
    });
    const outcomes = await Promise.all(uploads);
    expect(killed).toBe(true);
    expect(outcomes[outcomes.length - 1]).toBe('failed');
    await new Promise((r) => first.child.once('exit', r).exitCode !== null && r(undefined));
    first.s3.destroy();

    const second = await launch(dataDir);
    children.push(second.child);
    try {
      const listed = (await second.s3.send(new ListObjectsV2Command({ Bucket: 'crash' }))).Contents?.map((o) => o.Key!) ?? [];
      for (const key of ['done/0', 'done/1', 'done/2']) expect(listed).toContain(key);
      for (const [key, hash] of expected) {
        if (!listed.includes(key)) continue;
        const got = await second.s3.send(new GetObjectCommand({ Bucket: 'crash', Key: key }));
        expect(sha(Buffer.from(await got.Body!.transformToByteArray())), key).toBe(hash);
      }
      expect(listed).not.toContain(`inflight/${sizes.length - 1}`);
      expect(await readdir(join(dataDir, 'objects', 'tmp'))).toEqual([]);
      let blobs = 0;
      for (const fan of await readdir(join(dataDir, 'objects', 'blobs'))) blobs += (await readdir(join(dataDir, 'objects', 'blobs', fan))).length;
      expect(blobs).toBe(listed.length);
    } finally {
      second.s3.destroy();
      second.child.kill('SIGTERM');
    }
  }, 120_000);
});
