import { join } from 'node:path';
import type { ClaryConfig } from '../core/config.js';
import { openEmbeddedObjectStore } from './embedded-store.js';
import { ExternalS3Store } from './external-s3-store.js';
import type { ObjectStore } from './object-store.js';

export type * from './object-store.js';
export { openEmbeddedObjectStore } from './embedded-store.js';
export { ExternalS3Store } from './external-s3-store.js';

/** The embedded store under <dataDir>/objects, or the external S3 when --s3-endpoint is set. */
export async function openObjectStore(config: ClaryConfig): Promise<ObjectStore> {
  if (config.s3) return new ExternalS3Store(config.s3);
  return openEmbeddedObjectStore(join(config.dataDir, 'objects'));
}
