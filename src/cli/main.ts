#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, DEFAULTS } from '../core/config.js';
import { up } from './up.js';
import { status } from './status.js';
import { instancesCommand } from './instances.js';
import { quotasListCommand, quotasSetCommand } from './quotas.js';
import { costsCommand } from './costs.js';
import { withStore } from './with-store.js';
import { logsCommand, metricsCommand } from './logs.js';
import { detectHost } from '../compute/host/index.js';
import { formatImagesList, frameworkBuildTarget, imagesBuild, imagesBuildFramework, imagesList } from './images.js';
import { compileConfig } from '../core/config.js';
import { usersCredentialsCommand } from './users.js';
import { existsSync, statSync } from 'node:fs';

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
    .addOption(new Option('--log-level <level>', `fatal|error|warn|info|debug (env CLARY_LOG_LEVEL, default ${DEFAULTS.logLevel})`))
    .addOption(new Option('--vcpu-overcommit <factor>', 'how many times the host\'s cores placement may promise (env CLARY_VCPU_OVERCOMMIT, default 4)'))
    .addOption(new Option('--emulate-accelerators', 'run GPU/Inferentia/Trainium types without the hardware (env CLARY_EMULATE_ACCELERATORS)'))
    .addOption(new Option('--local-usd-per-host-hour <usd>', 'what an hour of this host costs, for clary costs (env CLARY_LOCAL_USD_PER_HOST_HOUR, default 0)'));

/** Options for admin commands that read the store of a Clary (its data dir or --database). */
const storeOptions = (cmd: Command) =>
  cmd
    .addOption(new Option('--data-dir <dir>', `the Clary's data dir (env CLARY_DATA_DIR, default ${DEFAULTS.dataDir})`))
    .addOption(new Option('--database <url>', 'its PostgreSQL, if it uses one (env CLARY_DATABASE_URL)'))
    .addOption(new Option('--region <region>', `its region (env CLARY_REGION, default ${DEFAULTS.region})`))
    .addOption(new Option('--account-id <id>', `its account id (env CLARY_ACCOUNT_ID, default ${DEFAULTS.accountId})`));

const out = (text: string) => process.stdout.write(text);

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

const quotas = program.command('quotas').description('show and change per-type, per-workload instance quotas');
storeOptions(quotas.command('list').description('list quotas and their values'))
  .option('--workload <workload>', 'training|hosting|processing|transform|app')
  .option('--type <type>', 'only this instance type, e.g. ml.g5.xlarge')
  .action(async (opts) => {
    out(await withStore(opts, process.env, (store, config) => quotasListCommand(store, opts, config.quotas)));
  });
storeOptions(quotas.command('set <nameOrCode> <value>').description('set a quota, e.g. clary quotas set "ml.g5.xlarge for training job usage" 2'))
  .action(async (nameOrCode: string, value: string, opts) => {
    out(await withStore(opts, process.env, (store, config) => quotasSetCommand(store, nameOrCode, value, { scope: config, now: Date.now(), defaults: config.quotas })));
  });

storeOptions(program.command('costs').description('instance time and cost, SageMaker prices next to this host\'s'))
  .option('--by <key>', 'user|domain|job|type|workload', 'user')
  .requiredOption('--since <date>', 'from this date (2026-01-01) or time')
  .option('--until <date>', 'up to this date or time (default now)')
  .option('--csv', 'print CSV')
  .addOption(new Option('--local-usd-per-host-hour <usd>', 'what an hour of this host costs (env CLARY_LOCAL_USD_PER_HOST_HOUR, default 0)'))
  .action(async (opts) => {
    const host = await detectHost();
    out(
      await withStore(opts, process.env, (store, config) =>
        costsCommand(store, opts, { region: config.region, now: Date.now(), local: { usdPerHostHour: config.compute.localUsdPerHostHour, hostVcpus: host.vcpus } }),
      ),
    );
  });

storeOptions(program.command('logs <job>').description("a training job's output (all instances), from CloudWatch Logs"))
  .option('-f, --follow', 'keep printing until the job ends')
  .action(async (job: string, opts) => {
    await withStore(opts, process.env, (store) => logsCommand(store, job, opts, out));
  });

storeOptions(program.command('metrics <job>').description("a training job's final metrics"))
  .action(async (job: string, opts) => {
    out(await withStore(opts, process.env, (store) => metricsCommand(store, job)));
  });

const users = program.command('users').description('Studio user profiles: their access keys (docs/studio.md)');
storeOptions(users.command('credentials <domain> <user>').description("print a user profile's access key pair as an AWS credentials-file profile (created on first use)"))
  .option('--rotate', 'replace the key pair; the old one stops working')
  .option('--profile <name>', 'profile name in the output (default <domain-id>-<user>)')
  .action(async (domain: string, user: string, opts) => {
    out(await withStore(opts, process.env, (store, config) => usersCredentialsCommand(store, config, domain, user, opts)));
  });

const images = program.command('images').description('local container images, and which lane each TrainingImage takes');
images
  .command('ls')
  .description('list the container engine\'s images and the lane of each framework (docs/containers.md)')
  .addOption(new Option('--data-dir <dir>', `the Clary's data dir (env CLARY_DATA_DIR, default ${DEFAULTS.dataDir})`))
  .option('--json', 'print JSON')
  .action(async (opts) => {
    const listing = await imagesList(compileConfig({ dataDir: opts.dataDir }, process.env));
    out(opts.json ? JSON.stringify(listing, null, 2) + '\n' : formatImagesList(listing));
  });
images
  .command('build <context>')
  .description('build a framework image (sklearn, pytorch, xgboost: Debian via debootstrap + Clary\'s toolkit), or an image from a directory with a Containerfile/Dockerfile whose FROM image is local (no registry needed)')
  .option('-t, --tag <name:tag>', 'name of the image, e.g. my-trainer:1 (a TrainingImage <account>.dkr.ecr.<region>.amazonaws.com/my-trainer:1 finds it); required for a directory')
  .option('-f, --file <file>', 'build file in the context (default Containerfile, else Dockerfile)')
  .addOption(new Option('--data-dir <dir>', `the Clary's data dir (env CLARY_DATA_DIR, default ${DEFAULTS.dataDir})`))
  .action(async (context: string, opts) => {
    const config = compileConfig({ dataDir: opts.dataDir }, process.env);
    const runtime = frameworkBuildTarget(context, existsSync(context) && statSync(context).isDirectory());
    if (runtime) {
      // Ctrl-C ends debootstrap and removes its half-made root file system before exiting.
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      const built = await imagesBuildFramework(config, runtime, { onOutput: (l) => out(`${l}\n`), signal: abort.signal });
      out(`${built.tags.join(' ')} ${built.id}\n`);
      return;
    }
    if (!opts.tag) throw new ConfigError(`clary images build ${context}: give the image a name with -t NAME:TAG (or name a framework runtime: sklearn, pytorch, xgboost)`);
    const id = await imagesBuild(config, { context, tag: opts.tag, file: opts.file, onOutput: (l) => out(`${l}\n`) });
    out(`${opts.tag} ${id}\n`);
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
