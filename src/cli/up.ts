import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startClary } from '../app.js';
import { compileConfig, type ConfigInput } from '../core/config.js';
import { createLogger } from '../core/logger.js';

/** `clary up`: runs Clary in the foreground until SIGTERM/SIGINT. */
export async function up(opts: ConfigInput, env: NodeJS.ProcessEnv): Promise<void> {
  const config = compileConfig(opts, env);
  const log = createLogger(config.logLevel, process.stderr);
  const app = await startClary(config, { log });
  const runFile = join(config.dataDir, 'clary.json');
  await writeFile(runFile, JSON.stringify({ pid: process.pid, endpoint: app.endpoint }) + '\n', { mode: 0o600 });

  const ms = Math.round(performance.now()); // since the process started
  process.stdout.write(
    [
      `Clary is up on ${app.endpoint} in ${ms} ms (data: ${config.dataDir}; ${app.platform.store.dialect}; ${app.platform.objects.kind} S3; account ${config.accountId}, region ${config.region})`,
      ``,
      `Point any AWS client at it:`,
      `  export AWS_ENDPOINT_URL=${app.endpoint}`,
      `  export AWS_SHARED_CREDENTIALS_FILE=${app.credentialsFile}`,
      `  export AWS_PROFILE=clary`,
      `  aws s3 mb s3://my-bucket && aws sagemaker list-training-jobs`,
      `(or pass --profile clary --endpoint-url ${app.endpoint}; boto3: boto3.Session(profile_name="clary").client("sagemaker", endpoint_url="${app.endpoint}"))`,
      `Health: ${app.endpoint}/_clary/health. Stop with Ctrl-C.`,
      ``,
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await rm(runFile, { force: true });
    } finally {
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
