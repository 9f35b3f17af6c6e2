import { homedir } from 'node:os';
import { resolve } from 'node:path';

/**
 * All of Clary's settings, compiled once at start-up from command-line options, environment
 * variables and defaults (in that order of precedence), validated, frozen and passed down.
 * Nothing below this file reads process.env.
 */
export interface ClaryConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  readonly region: string;
  readonly accountId: string;
  /** postgres://… to use PostgreSQL; undefined means SQLite in the data dir. */
  readonly databaseUrl: string | undefined;
  /** External S3 instead of the embedded store. */
  readonly s3: ExternalS3Config | undefined;
  /** Admin key pair given explicitly; otherwise one is generated on first start. */
  readonly adminAccessKeyId: string | undefined;
  readonly adminSecretAccessKey: string | undefined;
  readonly logLevel: string;
  readonly limits: Limits;
}

export interface ExternalS3Config {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  readonly forcePathStyle: boolean;
}

export interface Limits {
  /** Largest JSON / query request body accepted by the control-plane protocols. */
  readonly maxRequestBodyBytes: number;
  /** Largest single PUT (S3 allows 5 GiB). */
  readonly maxPutObjectBytes: number;
  /** Largest multipart part (S3 allows 5 GiB). */
  readonly maxPartBytes: number;
  /** How far a request's X-Amz-Date may be from now (AWS: 15 minutes). */
  readonly clockSkewSeconds: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 9900,
  dataDir: '~/.clary',
  region: 'us-east-1',
  accountId: '000000000000',
  logLevel: 'info',
} as const;

/** Options as they come from the command line (all optional strings). */
export interface ConfigInput {
  host?: string;
  port?: string | number;
  dataDir?: string;
  region?: string;
  accountId?: string;
  database?: string;
  s3Endpoint?: string;
  s3Region?: string;
  s3AccessKeyId?: string;
  s3SecretAccessKey?: string;
  logLevel?: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? homedir() + p.slice(1) : p;
}

export function compileConfig(input: ConfigInput, env: NodeJS.ProcessEnv = {}): ClaryConfig {
  const pick = (opt: string | number | undefined, envName: string, dflt?: string): string | undefined => {
    if (opt !== undefined && opt !== '') return String(opt);
    const v = env[envName];
    return v !== undefined && v !== '' ? v : dflt;
  };

  const portText = pick(input.port, 'CLARY_PORT', String(DEFAULTS.port))!;
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`port must be an integer 0..65535 (got "${portText}"): set --port or CLARY_PORT`);
  }
  const region = pick(input.region, 'CLARY_REGION', DEFAULTS.region)!;
  if (!REGION.test(region)) throw new ConfigError(`region "${region}" is not an AWS region name like us-east-1: set --region or CLARY_REGION`);
  const accountId = pick(input.accountId, 'CLARY_ACCOUNT_ID', DEFAULTS.accountId)!;
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`account id must be 12 digits (got "${accountId}"): set --account-id or CLARY_ACCOUNT_ID`);

  const databaseUrl = pick(input.database, 'CLARY_DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`--database must be a postgres:// URL (got "${databaseUrl}"); leave it out to use SQLite in the data dir`);
  }

  const s3Endpoint = pick(input.s3Endpoint, 'CLARY_S3_ENDPOINT');
  let s3: ExternalS3Config | undefined;
  if (s3Endpoint !== undefined) {
    try {
      new URL(s3Endpoint);
    } catch {
      throw new ConfigError(`--s3-endpoint must be a URL such as http://127.0.0.1:9000 (got "${s3Endpoint}")`);
    }
    s3 = Object.freeze({
      endpoint: s3Endpoint,
      region: pick(input.s3Region, 'CLARY_S3_REGION', region)!,
      accessKeyId: pick(input.s3AccessKeyId, 'CLARY_S3_ACCESS_KEY_ID'),
      secretAccessKey: pick(input.s3SecretAccessKey, 'CLARY_S3_SECRET_ACCESS_KEY'),
      forcePathStyle: true,
    });
  }

  const adminAccessKeyId = pick(undefined, 'CLARY_ACCESS_KEY_ID');
  const adminSecretAccessKey = pick(undefined, 'CLARY_SECRET_ACCESS_KEY');
  if ((adminAccessKeyId === undefined) !== (adminSecretAccessKey === undefined)) {
    throw new ConfigError('set both CLARY_ACCESS_KEY_ID and CLARY_SECRET_ACCESS_KEY, or neither');
  }
  if (adminAccessKeyId !== undefined && !/^[A-Z0-9]{16,128}$/.test(adminAccessKeyId)) {
    throw new ConfigError('CLARY_ACCESS_KEY_ID must be 16-128 upper-case letters and digits');
  }

  return Object.freeze({
    host: pick(input.host, 'CLARY_HOST', DEFAULTS.host)!,
    port,
    dataDir: resolve(expandHome(pick(input.dataDir, 'CLARY_DATA_DIR', DEFAULTS.dataDir)!)),
    region,
    accountId,
    databaseUrl,
    s3,
    adminAccessKeyId,
    adminSecretAccessKey,
    logLevel: pick(input.logLevel, 'CLARY_LOG_LEVEL', DEFAULTS.logLevel)!,
    limits: Object.freeze({
      maxRequestBodyBytes: 16 * 1024 * 1024,
      maxPutObjectBytes: 5 * 1024 ** 3,
      maxPartBytes: 5 * 1024 ** 3,
      clockSkewSeconds: 15 * 60,
    }),
  });
}
