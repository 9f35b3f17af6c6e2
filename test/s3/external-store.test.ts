import { ExternalS3Store } from '../../src/objects/external-s3-store.js';
import { objectStoreContract } from '../../src/objects/object-store.contract.js';
import { startTestServer } from '../support/server.js';

// Clary's own S3 API is a real S3 server: the external store must pass the same contract against it.
objectStoreContract('external S3 (a running Clary)', async () => {
  const server = await startTestServer();
  const store = new ExternalS3Store({
    endpoint: server.endpoint,
    region: server.region,
    accessKeyId: server.credentials.accessKeyId,
    secretAccessKey: server.credentials.secretAccessKey,
    forcePathStyle: true,
  });
  return {
    store,
    async cleanup() {
      await store.close();
      await server.close();
    },
  };
});
