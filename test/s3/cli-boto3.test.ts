import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

async function fileSha256(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

describe('S3 API with the AWS CLI and boto3', () => {
  let server: TestServer;
  let s3: S3Client;
  let work: string;
  const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.endpoint, ...args], { env: server.env, maxBuffer: 16 * 1024 * 1024 });
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(server.clientConfig);
    work = await mkdtemp(join(tmpdir(), 'clary-s3-cli-'));
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('mb, cp up and down, ls, sync, rm, rb', async () => {
    await aws('s3', 'mb', 's3://cli-bucket');
    await writeFile(join(work, 'hello.txt'), 'hello from the cli\n');
    await aws('s3', 'cp', join(work, 'hello.txt'), 's3://cli-bucket/docs/hello world.txt');
    await aws('s3', 'cp', 's3://cli-bucket/docs/hello world.txt', join(work, 'back.txt'));
    expect(await readFile(join(work, 'back.txt'), 'utf8')).toBe('hello from the cli\n');

    const tree = join(work, 'tree');
    await mkdir(join(tree, 'sub', 'deeper'), { recursive: true });
    const files: Record<string, string> = { 'a.txt': 'A', 'sub/b.txt': 'B', 'sub/deeper/c + d.txt': 'C', 'ü.txt': 'U' };
    for (const [p, v] of Object.entries(files)) await writeFile(join(tree, p), v);
    await aws('s3', 'sync', tree, 's3://cli-bucket/tree');
    const ls = (await aws('s3', 'ls', '--recursive', 's3://cli-bucket/tree/')).stdout;
    for (const p of Object.keys(files)) expect(ls).toContain(`tree/${p}`);
    const top = (await aws('s3', 'ls', 's3://cli-bucket/tree/')).stdout;
    expect(top).toMatch(/PRE sub\//);
    // A second sync uploads nothing; a sync down reproduces the tree.
    expect((await aws('s3', 'sync', tree, 's3://cli-bucket/tree')).stdout.trim()).toBe('');
    const down = join(work, 'down');
    await aws('s3', 'sync', 's3://cli-bucket/tree', down);
    for (const [p, v] of Object.entries(files)) expect(await readFile(join(down, p), 'utf8')).toBe(v);

    await aws('s3', 'rm', 's3://cli-bucket/docs/hello world.txt');
    await expect(s3.send(new HeadObjectCommand({ Bucket: 'cli-bucket', Key: 'docs/hello world.txt' }))).rejects.toMatchObject({ name: 'NotFound' });
    await aws('s3', 'rm', '--recursive', 's3://cli-bucket/tree');
    await aws('s3', 'rb', 's3://cli-bucket');
    expect((await aws('s3', 'ls')).stdout).not.toContain('cli-bucket');
  });

  it('uploads and downloads a 200 MiB file with multipart, byte for byte', async () => {
    const src = join(work, 'big.bin');
    const handle = await open(src, 'w');
    const block = randomBytes(1024 * 1024);
    for (let i = 0; i < 200; i++) {
      block.writeUInt32BE(i, 0);
      await handle.write(block);
    }
    await handle.close();
    await aws('s3', 'mb', 's3://big-bucket');
    await aws('s3', 'cp', src, 's3://big-bucket/big.bin');
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'big-bucket', Key: 'big.bin' }));
    expect(head.ContentLength).toBe(200 * 1024 * 1024);
    expect(head.ETag).toMatch(/-\d+"$/);
    const back = join(work, 'big.back');
    await aws('s3', 'cp', 's3://big-bucket/big.bin', back);
    expect(await fileSha256(back)).toBe(await fileSha256(src));
    await rm(src);
    await rm(back);
  }, 180_000);

  it('boto3: put, get, list, delete', async () => {
    const script = `
import boto3, json
s3 = boto3.client("s3")
s3.create_bucket(Bucket="boto-bucket")
s3.put_object(Bucket="boto-bucket", Key="py/one.txt", Body=b"one", Metadata={"k": "v"})
s3.put_object(Bucket="boto-bucket", Key="py/two.txt", Body=b"two")
got = s3.get_object(Bucket="boto-bucket", Key="py/one.txt")
listed = s3.list_objects_v2(Bucket="boto-bucket", Prefix="py/")
paged = [o["Key"] for p in s3.get_paginator("list_objects_v2").paginate(Bucket="boto-bucket", PaginationConfig={"PageSize": 1}) for o in p.get("Contents", [])]
s3.delete_objects(Bucket="boto-bucket", Delete={"Objects": [{"Key": "py/two.txt"}]})
after = [o["Key"] for o in s3.list_objects_v2(Bucket="boto-bucket").get("Contents", [])]
print(json.dumps({"body": got["Body"].read().decode(), "meta": got["Metadata"], "keys": [o["Key"] for o in listed["Contents"]], "count": listed["KeyCount"], "paged": paged, "after": after}))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    expect(JSON.parse(stdout)).toEqual({ body: 'one', meta: { k: 'v' }, keys: ['py/one.txt', 'py/two.txt'], count: 2, paged: ['py/one.txt', 'py/two.txt'], after: ['py/one.txt'] });
    const got = await s3.send(new GetObjectCommand({ Bucket: 'boto-bucket', Key: 'py/one.txt' }));
    expect(await got.Body!.transformToString()).toBe('one');
  });
});
