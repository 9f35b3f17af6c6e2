import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileConfig } from '../../../src/core/config.js';
import { notImplemented } from '../../../src/core/errors.js';
import { createLogger } from '../../../src/core/logger.js';
import { adminOnlyAuthorizer } from '../../../src/core/principal.js';
import type { ObjectStore } from '../../../src/objects/object-store.js';
import { ensureAdminKey } from '../../../src/server/admin-key.js';
import { listen } from '../../../src/server/http-server.js';
import { storeKeyResolver } from '../../../src/server/keys.js';
import { createPipeline } from '../../../src/server/pipeline.js';
import { serviceQuotasService } from '../../../src/services/service-quotas/index.js';
import type { Platform } from '../../../src/services/service.js';
import { stsService } from '../../../src/services/sts/index.js';
import { openSqliteStore } from '../../../src/store/index.js';
import { awsEnv } from '../../support/server.js';

/**
 * A Clary front (the real pipeline, SigV4 and model validation) serving only STS and Service
 * Quotas, until src/app.ts registers the service-quotas module.
 */
export async function startQuotasServer() {
  const dataDir = await mkdtemp(join(tmpdir(), 'clary-quotas-'));
  const config = compileConfig({ port: 0, dataDir, logLevel: 'silent' });
  const store = await openSqliteStore(join(dataDir, 'clary.db'));
  await store.migrate();
  const platform: Platform = Object.freeze({
    config,
    store,
    objects: undefined as unknown as ObjectStore,
    authorizer: adminOnlyAuthorizer,
    log: createLogger('silent'),
    now: () => Date.now(),
    changed: () => undefined,
  });
  const admin = await ensureAdminKey(store, config);
  const unsupported = async () => {
    throw notImplemented('Clary', 'this route');
  };
  const handler = createPipeline({
    platform,
    keys: storeKeyResolver(store, config),
    services: { sts: stsService, 'service-quotas': serviceQuotasService },
    s3: unsupported,
    writeS3Error: (res) => res.writeHead(501).end(),
    runtime: unsupported,
    internal: async (_req, res) => void res.writeHead(404).end(),
  });
  const server = await listen(handler, '127.0.0.1', 0);
  const endpoint = `http://127.0.0.1:${server.port}`;
  return {
    platform,
    store,
    endpoint,
    env: awsEnv(endpoint, config.region, admin),
    async close() {
      await server.close();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
