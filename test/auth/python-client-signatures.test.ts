import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSigV4Harness, type SigV4Harness } from '../support/sigv4-harness.js';

/**
 * boto3 (the default python3's) signs its own way — its own URI encoding, header set and payload
 * modes. Every request it makes must authenticate.
 */
let h: SigV4Harness;
beforeAll(async () => {
  h = await startSigV4Harness();
});
afterAll(async () => h.close());

function env() {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: h.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: h.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-west-2',
    AWS_ENDPOINT_URL: h.endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  return env;
}

/** Runs a command asynchronously (the harness serves from this same process); answers its output. */
function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(file, args, { env: env(), encoding: 'utf8', timeout: 60_000 }, (_err, stdout, stderr) => resolve(`${stdout}${stderr}`));
  });
}

const python = (code: string) => run('python3', ['-c', code]);

const prelude = `
import boto3, botocore, urllib.request
from botocore.config import Config
cfg = Config(s3={'addressing_style': 'path'}, retries={'max_attempts': 1})
s3 = boto3.client('s3', config=cfg)
`;

describe('boto3 and AWS CLI signatures', () => {
  it('S3 put/get with awkward keys, and a presigned GET', async () => {
    h.family = 's3';
    const before = h.outcomes.length;
    const out = await python(`${prelude}
for key in ['plain.txt', 'dir/with space+plus/ünï ✓ (1)~*.txt', "odd!$&'=;:@,.bin"]:
    s3.put_object(Bucket='bkt', Key=key, Body=b'x' * 70000)
    try:
        s3.get_object(Bucket='bkt', Key=key)
    except botocore.exceptions.ClientError:
        pass
url = s3.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'dir/a b+c.txt'}, ExpiresIn=300)
print(urllib.request.urlopen(url).status)
`);
    const mine = h.outcomes.slice(before);
    expect(mine.filter((o) => o.error).map((o) => `${o.raw.method} ${o.raw.url}: ${o.error!.code} ${o.error!.message}`)).toEqual([]);
    expect(mine.length).toBeGreaterThanOrEqual(7);
    expect(mine.filter((o) => o.raw.method === 'PUT').every((o) => o.body?.length === 70000)).toBe(true);
    expect(out).toContain('200');
  });

  it('S3 with the legacy SigV2 (signature_version="s3"), SigV4 presigned URLs, and an expired SigV2 one', async () => {
    h.family = 's3';
    const before = h.outcomes.length;
    const out = await python(`${prelude}
v2 = boto3.client('s3', config=Config(s3={'addressing_style': 'path'}, signature_version='s3', retries={'max_attempts': 1}))
v2.put_object(Bucket='bkt', Key='a b+c/ü.txt', Body=b'hello', ContentType='text/plain', Metadata={'k': 'v'})
v2.list_objects_v2(Bucket='bkt', Prefix='a b')
v2.list_parts(Bucket='bkt', Key='a b', UploadId='u1')
v4 = boto3.client('s3', config=Config(s3={'addressing_style': 'path'}, signature_version='s3v4'))
print(urllib.request.urlopen(v4.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'x y+z', 'ResponseContentType': 'a/b'}, ExpiresIn=60)).status)
try:
    urllib.request.urlopen(s3.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'k'}, ExpiresIn=-10))
except urllib.error.HTTPError as e:
    print('expired', e.code)
`);
    const mine = h.outcomes.slice(before);
    expect(mine.map((o) => o.error?.code ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'AccessDenied']);
    expect(mine[0]!.body?.toString()).toBe('hello');
    expect(out).toContain('expired 403');
  });

  it('the AWS CLI: s3api put-object with an awkward key, and s3 presign', async () => {
    h.family = 's3';
    const before = h.outcomes.length;
    await run('aws', ['s3api', 'put-object', '--bucket', 'bkt', '--key', 'cli dir/ä+b (2).txt', '--body', 'package.json']);
    const url = (await run('aws', ['s3', 'presign', 's3://bkt/cli dir/ä+b.txt', '--expires-in', '60'])).trim();
    const r = await fetch(url);
    expect(r.status).toBe(200);
    const mine = h.outcomes.slice(before);
    expect(mine.map((o) => o.error?.code ?? 'ok')).toEqual(['ok', 'ok']);
    expect(mine[0]!.body?.length).toBeGreaterThan(100);
  });

  it('SageMaker (JSON) and STS (query)', async () => {
    h.family = 'json';
    let before = h.outcomes.length;
    await python(`${prelude}
boto3.client('sagemaker', config=cfg).list_training_jobs(NameContains='a b+c', MaxResults=3)`);
    expect(h.outcomes.slice(before).map((o) => o.error?.code ?? 'ok')).toEqual(['ok']);
    h.family = 'query';
    before = h.outcomes.length;
    await python(`${prelude}
try:
    boto3.client('sts', config=cfg).get_caller_identity()
except Exception:
    pass`);
    expect(h.outcomes.slice(before).map((o) => o.error?.code ?? 'ok')).toEqual(['ok']);
  });
});
