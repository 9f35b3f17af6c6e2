import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnClary, type SpawnedClary } from '../support/clary-process.js';

const run = promisify(execFile);

describe('clary up', () => {
  let dir: string;
  let clary: SpawnedClary;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clary-up-'));
    clary = await spawnClary(['up', '--port', '0', '--data-dir', dir]);
  });
  afterAll(async () => {
    await clary?.stop('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('answers health, prints how to connect, and keeps secrets private', async () => {
    const res = await fetch(`${clary.endpoint}/_clary/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(clary.stdout()).toContain(`AWS_ENDPOINT_URL=${clary.endpoint}`);
    expect(clary.stdout()).toContain('AWS_PROFILE=clary');
    expect((await stat(join(dir, 'credentials'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'clary.db'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    const { secretAccessKey } = await clary.credentials();
    expect(clary.stdout()).not.toContain(secretAccessKey);
  });

  it('serves the AWS CLI with the generated credentials file and profile', async () => {
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
      AWS_CONFIG_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const args = ['--profile', 'clary', '--endpoint-url', clary.endpoint, '--output', 'json'];
    const jobs = await run('aws', ['sagemaker', 'list-training-jobs', ...args], { env });
    expect(JSON.parse(jobs.stdout)).toEqual({ TrainingJobSummaries: [] });
    const who = await run('aws', ['sts', 'get-caller-identity', ...args], { env });
    expect(JSON.parse(who.stdout).Account).toBe('000000000000');
    const logs = await run('aws', ['logs', 'describe-log-groups', ...args], { env });
    expect(JSON.parse(logs.stdout)).toEqual({ logGroups: [] });
  });

  it('keeps the same key pair across restarts and stops cleanly on SIGTERM', async () => {
    const before = await clary.credentials();
    expect(await clary.stop('SIGTERM')).toBe(0);
    clary = await spawnClary(['up', '--port', '0', '--data-dir', dir]);
    expect(await clary.credentials()).toEqual(before);
  });
});

describe('clary up with an explicit admin key and bad settings', () => {
  it('uses CLARY_ACCESS_KEY_ID / CLARY_SECRET_ACCESS_KEY', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clary-up-'));
    const c = await spawnClary(['up', '--port', '0', '--data-dir', dir, '--region', 'eu-west-1'], {
      CLARY_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE00',
      CLARY_SECRET_ACCESS_KEY: 'secret-secret-secret-secret-secret-secret',
    });
    try {
      expect(await c.credentials()).toEqual({ accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'secret-secret-secret-secret-secret-secret' });
      const status = await run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'status', '--data-dir', dir]);
      expect(status.stdout).toContain(': ok');
    } finally {
      await c.stop('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a bad port with a message that names the setting', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'up', '--port', 'eighty'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--port or CLARY_PORT'),
    });
  });
});
