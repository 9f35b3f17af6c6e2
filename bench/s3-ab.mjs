// A/B for S3 throughput: runs Clary from one or more source trees (ROOTS=dirA,dirB; each via tsx), back to back,
// and times PUT/GET of one object with the AWS SDK, curl (presigned) and cp, with Clary's CPU per thread
// (/proc) and this process's CPU. Usage: ROOTS=/path/base,/path/new ROUNDS=3 node bench/s3-ab.mjs <MiB> [variants…]
// A base tree: mkdir -p .tmp/base && git archive <commit> src package.json tsconfig.json | tar -x -C .tmp/base
// Needs curl, and python3 with boto3 and the AWS CLI (for presigned URLs). Not part of npm run bench.
import { spawn, execFileSync } from 'node:child_process';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, open, rm, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const MiB = Number(process.argv[2] ?? 256);
const SIZE = MiB * 1024 * 1024;
const serverArgs = (process.env.SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const dir = await mkdtemp('/tmp/clary-s3x-');
const roots = (process.env.ROOTS ?? ROOT).split(',');
async function startServer(root, tag) {
const child = spawn(process.execPath, [...serverArgs, '--import', 'tsx', join(root, 'src/cli/main.ts'), 'up', '--port', '0', '--data-dir', join(dir, 'data-' + tag), '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
const endpoint = await new Promise((res, rej) => { let out = ''; child.stdout.on('data', (d) => { if (process.env.ECHO) process.stdout.write(d); out += d; const m = /Clary is up on (http:\/\/[^\s]+)/.exec(out); if (m) res(m[1]); }); child.once('exit', (c) => rej(new Error('exit ' + c + out))); });
const creds = await readFile(join(dir, 'data-' + tag, 'credentials'), 'utf8');
const credentials = { accessKeyId: /aws_access_key_id = (\S+)/.exec(creds)[1], secretAccessKey: /aws_secret_access_key = (\S+)/.exec(creds)[1] };
return { child, endpoint, credentials };
}
const src = join(dir, 'src.bin');
{ const fh = await open(src, 'w'); const chunk = Buffer.alloc(8 << 20); for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE((i * 2654435761) >>> 0, i); for (let w = 0; w < SIZE; w += chunk.length) await fh.write(chunk, 0, Math.min(chunk.length, SIZE - w)); await fh.sync(); await fh.close(); }
const mb = (s) => (SIZE / 1048576 / s).toFixed(0);
const time = async (fn) => { const t = performance.now(); await fn(); return (performance.now() - t) / 1000; };
const servers = [];
process.on('exit', () => { for (const sv of servers) sv.child.kill('SIGKILL'); });
process.on('uncaughtException', (e) => { console.error(e); process.exit(1); });
process.on('unhandledRejection', (e) => { console.error(e); process.exit(1); });
for (const [i, r] of roots.entries()) servers.push(await startServer(r, String(i)));
let child, endpoint, credentials, s3, env;
async function use(sv) { ({ child, endpoint, credentials } = sv); s3?.destroy(); s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
env = { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_DEFAULT_REGION: 'us-east-1' };
}
for (const sv of servers) { await use(sv); await s3.send(new CreateBucketCommand({ Bucket: 'bench' })); }
const variants = {
  idle: async () => { await new Promise((r) => setTimeout(r, 3000)); return 3; },
  cp: async () => { const t = await time(() => copyFile(src, join(dir, 'cp.bin'))); await rm(join(dir, 'cp.bin')); return t; },
  sdkPut: () => time(() => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'k', Body: createReadStream(src), ContentLength: SIZE }))),
  sdkPutNoCrc: async () => { const c = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' }); const t = await time(() => c.send(new PutObjectCommand({ Bucket: 'bench', Key: 'k2', Body: createReadStream(src), ContentLength: SIZE }))); c.destroy(); return t; },
  sdkPutBig: () => time(() => s3.send(new PutObjectCommand({ Bucket: 'bench', Key: 'k', Body: createReadStream(src, { highWaterMark: 1 << 20 }), ContentLength: SIZE }))),
  sdkGetBig: async () => { const t = await time(async () => { const o = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'k' })); await pipeline(o.Body, createWriteStream(join(dir, 'got.bin'), { highWaterMark: 8 << 20 })); }); await rm(join(dir, 'got.bin')); return t; },
  sdkGet: async () => { const t = await time(async () => { const o = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'k' })); await pipeline(o.Body, createWriteStream(join(dir, 'got.bin'))); }); await rm(join(dir, 'got.bin')); return t; },
  sdkGetNoVal: async () => { const c = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, responseChecksumValidation: 'WHEN_REQUIRED' }); const t = await time(async () => { const o = await c.send(new GetObjectCommand({ Bucket: 'bench', Key: 'k' })); await pipeline(o.Body, createWriteStream(join(dir, 'got.bin'))); }); await rm(join(dir, 'got.bin')); c.destroy(); return t; },
  nodeGet: async () => { const url = execFileSync('aws', ['--endpoint-url', endpoint, 's3', 'presign', 's3://bench/k'], { env }).toString().trim();
    const http = await import('node:http');
    const t = await time(async () => { const res = await new Promise((ok, ko) => http.get(url, ok).on('error', ko)); await pipeline(res, createWriteStream(join(dir, 'got.bin'))); }); await rm(join(dir, 'got.bin')); return t; },
  nodeGetDiscard: async () => { const url = execFileSync('aws', ['--endpoint-url', endpoint, 's3', 'presign', 's3://bench/k'], { env }).toString().trim();
    const http = await import('node:http');
    return time(async () => { const res = await new Promise((ok, ko) => http.get(url, ok).on('error', ko)); for await (const c of res) {} }); },
  sdkGetDiscard: () => time(async () => { const o = await s3.send(new GetObjectCommand({ Bucket: 'bench', Key: 'k' })); for await (const c of o.Body) {} }),
  curlPut: async () => { const url = execFileSync('python3', ['-c', `import boto3,sys; c=boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1'); print(c.generate_presigned_url('put_object', Params={'Bucket':'bench','Key':'kc'}))`, endpoint], { env }).toString().trim();
    return time(async () => execFileSync('curl', ['-sf', '-T', src, '-o', '/dev/null', url])); },
  curlGet: async () => { // presigned-less: use unsigned? use aws cli presign
    const url = execFileSync('aws', ['--endpoint-url', endpoint, 's3', 'presign', 's3://bench/k'], { env }).toString().trim();
    return time(async () => execFileSync('curl', ['-sf', '-o', join(dir, 'got.bin'), url])); },
  cliPut: () => time(async () => execFileSync('aws', ['--endpoint-url', endpoint, 's3', 'cp', '--quiet', src, 's3://bench/k3'], { env })),
  cliGet: async () => { const t = await time(async () => execFileSync('aws', ['--endpoint-url', endpoint, 's3', 'cp', '--quiet', 's3://bench/k3', join(dir, 'got.bin')], { env })); await rm(join(dir, 'got.bin')); return t; },
};
const want = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(variants);
const srvCpu = async () => { const f = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); };
import { readdirSync, readFileSync } from 'node:fs';
const threads = () => { const m = new Map(); for (const t of readdirSync(`/proc/${child.pid}/task`)) { try { const st = readFileSync(`/proc/${child.pid}/task/${t}/stat`, 'utf8'); const name = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')); const f = st.slice(st.lastIndexOf(')') + 2).split(' '); m.set(t, [name, Number(f[11]) + Number(f[12])]); } catch {} } return m; };
const threadDelta = (a, b) => { const out = []; for (const [t, [n, v]] of b) { const d = v - (a.get(t)?.[1] ?? 0); if (d > 5) out.push(`${n}:${(d / 100).toFixed(2)}`); } return out.join(','); };
const rounds = Number(process.env.ROUNDS ?? 2);
for (let r = 0; r < rounds; r++) for (const [si, sv] of servers.entries()) {
  await use(sv);
  const line = [];
  for (const v of want) { const th0 = threads(); const sc0 = await srvCpu(); const cc0 = process.cpuUsage(); const s = await variants[v](); const cc = process.cpuUsage(cc0); const sc = await srvCpu() - sc0; line.push(`${v}=${mb(s)}MB/s(wall ${s.toFixed(2)}s srvCPU ${(sc/100).toFixed(2)}s cliCPU ${((cc.user+cc.system)/1e6).toFixed(2)}s [${threadDelta(th0, threads())}])`); }
  console.log(`round ${r} server ${si}: ${line.join(' ')}`);
}
s3.destroy();
for (const sv of servers) { sv.child.kill('SIGTERM'); await new Promise((r) => sv.child.once('exit', r)); }
await rm(dir, { recursive: true, force: true });
