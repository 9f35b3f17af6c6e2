import { compileConfig, type ClaryConfig, type ConfigInput } from '../core/config.js';
import { openMetadataStore } from '../store/index.js';
import type { MetadataStore } from '../store/metadata-store.js';

/**
 * Opens the metadata store a Clary with these settings uses (its data dir's SQLite, or
 * --database), for admin commands that run beside a running server, and closes it afterwards.
 */
export async function withStore<T>(opts: ConfigInput, env: NodeJS.ProcessEnv, fn: (store: MetadataStore, config: ClaryConfig) => Promise<T>): Promise<T> {
  const config = compileConfig(opts, env);
  const store = await openMetadataStore(config);
  try {
    await store.migrate();
    return await fn(store, config);
  } finally {
    await store.close();
  }
}
