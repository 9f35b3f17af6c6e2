import { afterAll, beforeAll, describe } from 'vitest';
import { keysAndSettingsContract } from './contract/keys-settings.contract.js';
import { listContract } from './contract/list.contract.js';
import { listCursorContract } from './contract/list-cursor.contract.js';
import { logsContract } from './contract/logs.contract.js';
import { metricsContract } from './contract/metrics.contract.js';
import { migrateContract } from './contract/migrate.contract.js';
import { nulTextContract } from './contract/nul-text.contract.js';
import { resourcesContract } from './contract/resources.contract.js';
import type { ContractContext, StoreHarness } from './contract/harness.js';
import type { MetadataStore } from './metadata-store.js';

export type { StoreHarness, FreshStore } from './contract/harness.js';

/**
 * The one test suite every MetadataStore implementation passes. `makeHarness` is called once;
 * its fresh() gives a store on a new, empty database (the suite migrates it) and a way to open a
 * second, independent connection to the same database (concurrency, two processes migrating).
 */
export function describeMetadataStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`MetadataStore contract: ${name}`, () => {
    let harness: StoreHarness | undefined;
    let store: MetadataStore | undefined;
    let another: (() => Promise<MetadataStore>) | undefined;
    const opened: MetadataStore[] = [];

    const ctx: ContractContext = {
      store: () => store!,
      another: async () => {
        const s = await another!();
        opened.push(s);
        return s;
      },
      fresh: async () => {
        const f = await harness!.fresh();
        opened.push(f.store);
        return {
          store: f.store,
          another: async () => {
            const s = await f.another();
            opened.push(s);
            return s;
          },
        };
      },
    };

    beforeAll(async () => {
      harness = await makeHarness();
      const f = await harness.fresh();
      store = f.store;
      another = f.another;
      opened.push(store);
      await store.migrate();
    });

    afterAll(async () => {
      for (const s of opened.reverse()) await s.close();
      await harness?.dispose();
    });

    resourcesContract(ctx);
    listContract(ctx);
    listCursorContract(ctx);
    keysAndSettingsContract(ctx);
    logsContract(ctx);
    metricsContract(ctx);
    migrateContract(ctx);
    nulTextContract(ctx);
  });
}
