import { mkdir, chmod } from 'node:fs/promises';
import type { ClaryConfig } from './core/config.js';
import { createLogger, type Logger } from './core/logger.js';
import { adminOnlyAuthorizer } from './core/principal.js';
import { openObjectStore } from './objects/index.js';
import { openMetadataStore } from './store/index.js';
import { createPipeline } from './server/pipeline.js';
import { listen, type RunningServer } from './server/http-server.js';
import { storeKeyResolver } from './server/keys.js';
import { ensureAdminKey, writeCredentialsFile, type AdminKey } from './server/admin-key.js';
import { createInternalRoutes } from './server/internal-routes.js';
import { createS3Handler, writeS3Error } from './services/s3/index.js';
import { createRuntimeHandler } from './services/runtime/index.js';
import { sagemakerService } from './services/sagemaker/index.js';
import { stsService } from './services/sts/index.js';
import { logsService } from './services/logs/index.js';
import { createServiceQuotasService } from './services/service-quotas/index.js';
import type { Platform } from './services/service.js';

/** A running Clary: what `clary up` and the tests hold. */
export interface ClaryApp {
  readonly config: ClaryConfig;
  readonly port: number;
  /** http://host:port */
  readonly endpoint: string;
  readonly admin: AdminKey;
  readonly credentialsFile: string;
  readonly platform: Platform;
  close(): Promise<void>;
}

/** The composition root: compiles nothing, reads no environment; everything comes in through config. */
export async function startClary(config: ClaryConfig, opts: { log?: Logger } = {}): Promise<ClaryApp> {
  const log = opts.log ?? createLogger(config.logLevel);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await chmod(config.dataDir, 0o700);

  const store = await openMetadataStore(config);
  let objects;
  try {
    await store.migrate();
    objects = await openObjectStore(config);
  } catch (e) {
    await store.close();
    throw e;
  }

  const platform: Platform = Object.freeze({
    config,
    store,
    objects,
    authorizer: adminOnlyAuthorizer,
    log,
    now: () => Date.now(),
  });

  const admin = await ensureAdminKey(store, config);
  const credentialsFile = await writeCredentialsFile(config, admin);

  let ready = false;
  const handler = createPipeline({
    platform,
    keys: storeKeyResolver(store, config),
    services: { sagemaker: sagemakerService, sts: stsService, logs: logsService, 'service-quotas': createServiceQuotasService(config.quotas) },
    s3: createS3Handler(platform),
    writeS3Error,
    runtime: createRuntimeHandler(platform),
    internal: createInternalRoutes(() => ready),
  });

  let server: RunningServer;
  try {
    server = await listen(handler, config.host, config.port);
  } catch (e) {
    await objects.close();
    await store.close();
    throw e;
  }
  ready = true;
  const endpoint = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
  log.info({ endpoint, dataDir: config.dataDir, database: store.dialect, objects: objects.kind }, 'clary is up');

  let closing: Promise<void> | undefined;
  return {
    config,
    port: server.port,
    endpoint,
    admin,
    credentialsFile,
    platform,
    close() {
      closing ??= (async () => {
        ready = false;
        await server.close();
        await objects.close();
        await store.close();
      })();
      return closing;
    },
  };
}
