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
  readonly compute: ComputeConfig;
  /** Run the controllers (training jobs …). Off only for tests of what handlers record. */
  readonly controllers: boolean;
  /** Default quota values (overridden per quota with `clary quotas set` / Service Quotas). */
  readonly quotas: QuotaDefaultsConfig;
  /** Studio apps (docs/studio-apps.md): an app idle this long is deleted; 0 turns idle shutdown off. */
  readonly studio: {
    readonly appIdleTimeoutSeconds: number;
    /** How spaces' storage is made (docs/studio.md): `loop` — an ext4 image of the space's EbsVolumeSizeInGb, loop-mounted (the size is enforced; falls back to `directory` with a warning where it cannot: not root, no mkfs.ext4); `directory` — a plain directory (size recorded only). */
    readonly spaceVolumes: 'loop' | 'directory';
  };
  /** The container lane's engine (docs/containers.md). */
  readonly containers: ContainerConfig;
  /** Instances' networks (docs/networking.md). */
  readonly network: NetworkConfig;
}

export interface NetworkConfig {
  /**
   * Give each instance of a non-isolated job its own network namespace on a private network of
   * its job (off: they share the host's network). Even when on, Clary falls back to the host's
   * network with a logged reason where it cannot (not root, no `ip`).
   */
  readonly privateNetworks: boolean;
  /** IPv4 range each private network's /24 is carved from. */
  readonly privateNetworkRange: string;
}

export interface ComputeConfig {
  /** vCPUs are shared: placement may promise this many times the host's cores (each instance is still capped at its own). */
  readonly vcpuOvercommit: number;
  /** Run accelerated types (GPU, Inferentia, Trainium) without the hardware; status messages say so. */
  readonly emulateAccelerators: boolean;
  /** What an hour of this whole host costs you (USD), for `clary costs`' local column. */
  readonly localUsdPerHostHour: number;
  /** StopTrainingJob: seconds between SIGTERM and SIGKILL (SageMaker: 120). */
  readonly stopGraceSeconds: number;
}

export interface ContainerConfig {
  /** CLARY_DOCKER_HOST: `unix:///path.sock`, `/path.sock` or `tcp://host:port`; undefined: /var/run/docker.sock or Clary's own Podman. */
  readonly dockerHost: string | undefined;
  /** CLARY_START_PODMAN (default true): with no engine socket, start `podman system service` on <dataDir>/podman.sock on first use. */
  readonly startPodman: boolean;
  /** CLARY_PODMAN: the podman executable (default `podman` on PATH). */
  readonly podmanPath: string;
  /** CLARY_RUNTIME_LANES (`sklearn=container,pytorch=process`): framework runtimes sent to the container lane with their built image (default: all on the process lane). */
  readonly runtimeLanes: Readonly<Record<string, 'process' | 'container'>>;
  /** CLARY_DEBIAN_MIRROR: where `clary images build <runtime>` debootstraps from (default http://deb.debian.org/debian). */
  readonly debianMirror: string;
}

export interface QuotaDefaultsConfig {
  readonly cpuPerType: number;
  readonly acceleratedPerType: number;
  readonly aggregate: number;
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
  vcpuOvercommit?: string | number;
  emulateAccelerators?: boolean;
  localUsdPerHostHour?: string | number;
  /** Embedding/tests only: false starts no controllers. */
  controllers?: boolean;
  privateNetworks?: boolean;
  privateNetworkRange?: string;
  /** Idle shutdown of Studio apps, seconds (CLARY_APP_IDLE_TIMEOUT_SECONDS, default 3600). */
  appIdleTimeoutSeconds?: string | number;
  /** Spaces' storage: loop | directory (CLARY_SPACE_VOLUMES, default loop). */
  spaceVolumes?: string;
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

/** The runtimes with a framework image (runtimes/containers): the only ones CLARY_RUNTIME_LANES may send to containers. */
const IMAGE_RUNTIMES = ['sklearn', 'pytorch', 'xgboost'];

function parseRuntimeLanes(text: string): Readonly<Record<string, 'process' | 'container'>> {
  const lanes: Record<string, 'process' | 'container'> = {};
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [name, lane] = item.split('=').map((s) => s.trim());
    if (!name || !IMAGE_RUNTIMES.includes(name) || (lane !== 'process' && lane !== 'container')) {
      throw new ConfigError(`CLARY_RUNTIME_LANES must be runtime=lane pairs such as sklearn=container,pytorch=process (runtimes: ${IMAGE_RUNTIMES.join(', ')}; lanes: process, container); got "${item}"`);
    }
    lanes[name] = lane;
  }
  return Object.freeze(lanes);
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

  const number = (text: string, what: string, min: number): number => {
    const n = Number(text);
    if (!Number.isFinite(n) || n < min) throw new ConfigError(`${what} must be a number >= ${min} (got "${text}")`);
    return n;
  };
  const integer = (text: string, what: string): number => {
    const n = number(text, what, 0);
    if (!Number.isInteger(n)) throw new ConfigError(`${what} must be a whole number (got "${text}")`);
    return n;
  };
  const compute: ComputeConfig = Object.freeze({
    vcpuOvercommit: number(pick(input.vcpuOvercommit, 'CLARY_VCPU_OVERCOMMIT', '4')!, '--vcpu-overcommit (CLARY_VCPU_OVERCOMMIT)', 1),
    emulateAccelerators: input.emulateAccelerators === true || env.CLARY_EMULATE_ACCELERATORS === 'true' || env.CLARY_EMULATE_ACCELERATORS === '1',
    stopGraceSeconds: number(pick(undefined, 'CLARY_STOP_GRACE_SECONDS', '120')!, 'CLARY_STOP_GRACE_SECONDS', 0),
    localUsdPerHostHour: number(pick(input.localUsdPerHostHour, 'CLARY_LOCAL_USD_PER_HOST_HOUR', '0')!, '--local-usd-per-host-hour (CLARY_LOCAL_USD_PER_HOST_HOUR)', 0),
  });
  const quotas: QuotaDefaultsConfig = Object.freeze({
    cpuPerType: integer(pick(undefined, 'CLARY_QUOTA_CPU_PER_TYPE', '20')!, 'CLARY_QUOTA_CPU_PER_TYPE'),
    acceleratedPerType: integer(pick(undefined, 'CLARY_QUOTA_ACCELERATED_PER_TYPE', '0')!, 'CLARY_QUOTA_ACCELERATED_PER_TYPE'),
    aggregate: integer(pick(undefined, 'CLARY_QUOTA_AGGREGATE', '20')!, 'CLARY_QUOTA_AGGREGATE'),
  });

  const privateNetworksText = input.privateNetworks !== undefined ? String(input.privateNetworks) : pick(undefined, 'CLARY_PRIVATE_NETWORKS', 'on')!;
  if (!['on', 'off', 'true', 'false', '1', '0'].includes(privateNetworksText)) throw new ConfigError(`CLARY_PRIVATE_NETWORKS must be on or off (got "${privateNetworksText}")`);
  const privateNetworkRange = pick(input.privateNetworkRange, 'CLARY_PRIVATE_NETWORK_RANGE', '10.213.0.0/16')!;
  if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(privateNetworkRange)) throw new ConfigError(`CLARY_PRIVATE_NETWORK_RANGE must be an IPv4 prefix such as 10.213.0.0/16 (got "${privateNetworkRange}")`);
  const network: NetworkConfig = Object.freeze({ privateNetworks: ['on', 'true', '1'].includes(privateNetworksText), privateNetworkRange });

  const dockerHost = pick(undefined, 'CLARY_DOCKER_HOST');
  if (dockerHost !== undefined && !/^(unix:\/\/\/|\/|tcp:\/\/)/.test(dockerHost)) {
    throw new ConfigError(`CLARY_DOCKER_HOST must be unix:///path.sock, /path.sock or tcp://host:port (got "${dockerHost}")`);
  }
  const spaceVolumes = pick(input.spaceVolumes, 'CLARY_SPACE_VOLUMES', 'loop')!;
  if (spaceVolumes !== 'loop' && spaceVolumes !== 'directory') throw new ConfigError(`CLARY_SPACE_VOLUMES must be loop or directory (got "${spaceVolumes}")`);
  const containers: ContainerConfig = Object.freeze({
    dockerHost,
    startPodman: !['0', 'false', 'no', 'off'].includes((env.CLARY_START_PODMAN ?? '').toLowerCase()),
    podmanPath: pick(undefined, 'CLARY_PODMAN', 'podman')!,
    runtimeLanes: parseRuntimeLanes(pick(undefined, 'CLARY_RUNTIME_LANES', '')!),
    debianMirror: pick(undefined, 'CLARY_DEBIAN_MIRROR', 'http://deb.debian.org/debian')!,
  });

  return Object.freeze({
    controllers: input.controllers !== false,
    containers,
    network,
    compute,
    quotas,
    studio: Object.freeze({ appIdleTimeoutSeconds: number(pick(input.appIdleTimeoutSeconds, 'CLARY_APP_IDLE_TIMEOUT_SECONDS', '3600')!, 'CLARY_APP_IDLE_TIMEOUT_SECONDS', 0), spaceVolumes }),
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
