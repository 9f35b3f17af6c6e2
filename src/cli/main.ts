#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, DEFAULTS } from '../core/config.js';
import { up } from './up.js';
import { status } from './status.js';
import { instancesCommand } from './instances.js';

/** The `clary` command line. Options override CLARY_* environment variables, which override defaults. */
const serverOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--port <port>', `port to listen on (env CLARY_PORT, default ${DEFAULTS.port})`))
    .addOption(new Option('--host <host>', `address to bind (env CLARY_HOST, default ${DEFAULTS.host})`))
    .addOption(new Option('--data-dir <dir>', `where Clary keeps its state (env CLARY_DATA_DIR, default ${DEFAULTS.dataDir})`))
    .addOption(new Option('--region <region>', `region used in ARNs and credentials (env CLARY_REGION, default ${DEFAULTS.region})`))
    .addOption(new Option('--account-id <id>', `12-digit account id used in ARNs (env CLARY_ACCOUNT_ID, default ${DEFAULTS.accountId})`))
    .addOption(new Option('--database <url>', 'postgres://… to keep metadata in PostgreSQL instead of SQLite (env CLARY_DATABASE_URL)'))
    .addOption(new Option('--s3-endpoint <url>', 'use an external S3 (AWS, MinIO, Ceph) instead of the embedded one (env CLARY_S3_ENDPOINT)'))
    .addOption(new Option('--s3-region <region>', 'region of the external S3 (env CLARY_S3_REGION)'))
    .addOption(new Option('--s3-access-key-id <id>', 'access key for the external S3 (env CLARY_S3_ACCESS_KEY_ID)'))
    .addOption(new Option('--s3-secret-access-key <secret>', 'secret for the external S3 (env CLARY_S3_SECRET_ACCESS_KEY)'))
    .addOption(new Option('--log-level <level>', `fatal|error|warn|info|debug (env CLARY_LOG_LEVEL, default ${DEFAULTS.logLevel})`));

const program = new Command('clary').description('Clary: SageMaker, self-hosted and real.');

serverOptions(program.command('up').description('start Clary in the foreground')).action(async (opts) => {
  await up(opts, process.env);
});

serverOptions(program.command('status').description('check whether Clary is running')).action(async (opts) => {
  process.exitCode = await status(opts, process.env);
});

program
  .command('instances')
  .description('list the ml.* instance types with vCPUs, memory, accelerators and prices')
  .option('--family <family>', 'only this family, e.g. g5')
  .option('--workload <workload>', 'training|hosting|processing|transform|app|notebook')
  .option('--region <region>', 'prices for this region (default us-east-1)')
  .option('--json', 'print JSON instead of a table')
  .action((opts) => {
    process.stdout.write(instancesCommand(opts));
  });

program.parseAsync(process.argv).catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`clary: ${e.message}\n`);
    process.exit(2);
  }
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EADDRINUSE') {
    process.stderr.write(`clary: the port is already in use (${err.message}). Pick another with --port or CLARY_PORT, or check \`clary status\`.\n`);
    process.exit(2);
  }
  process.stderr.write(`clary: ${err.stack ?? String(e)}\n`);
  process.exit(1);
});
