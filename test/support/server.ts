import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClary, type ClaryApp } from '../../src/app.js';
import { compileConfig, type ConfigInput } from '../../src/core/config.js';
import { createLogger } from '../../src/core/logger.js';

export interface TestServer {
  readonly app: ClaryApp;
  readonly endpoint: string;
  readonly region: string;
  readonly dataDir: string;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Spread into any @aws-sdk/client-* constructor. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: boolean;
  };
  /** Environment for the AWS CLI / boto3 child processes. */
  readonly env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Starts an in-process Clary on a free loopback port over a fresh data dir. */
export async function startTestServer(input: ConfigInput = {}, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const dataDir = input.dataDir ?? (await mkdtemp(join(tmpdir(), 'clary-test-')));
  const config = compileConfig({ port: 0, logLevel: 'warn', ...input, dataDir }, env);
  const app = await startClary(config, { log: createLogger(process.env.CLARY_TEST_LOG ?? 'silent') });
  const credentials = { ...app.admin };
  return {
    app,
    endpoint: app.endpoint,
    region: config.region,
    dataDir,
    credentials,
    // A fresh object per use: the SDK clients annotate the credentials they are given.
    get clientConfig() {
      return { endpoint: app.endpoint, region: config.region, credentials: { ...credentials }, forcePathStyle: true };
    },
    env: awsEnv(app.endpoint, config.region, credentials),
    async close() {
      await app.close();
      if (!input.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Environment that points the AWS CLI and boto3 at a Clary, isolated from the host's AWS config. */
export function awsEnv(endpoint: string, region: string, credentials: { accessKeyId: string; secretAccessKey: string }): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
}
