import { writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ClaryConfig } from '../core/config.js';
import { iamArn } from '../core/arn.js';
import { accessKeyId as newAccessKeyId, secretAccessKey as newSecret } from '../core/ids.js';
import type { MetadataStore } from '../store/metadata-store.js';

export interface AdminKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

const SETTING = 'admin.accessKeyId';

/**
 * The admin's key pair: the one given in config (CLARY_ACCESS_KEY_ID/CLARY_SECRET_ACCESS_KEY),
 * else the one created on first start, else a new one.
 */
export async function ensureAdminKey(store: MetadataStore, config: ClaryConfig): Promise<AdminKey> {
  const principalArn = iamArn(config, 'root');
  if (config.adminAccessKeyId && config.adminSecretAccessKey) {
    const existing = await store.getAccessKey(config.adminAccessKeyId);
    if (!existing || existing.secretAccessKey !== config.adminSecretAccessKey || existing.principalArn !== principalArn) {
      if (existing) await store.deleteAccessKey(config.adminAccessKeyId);
      await store.putAccessKey({
        accessKeyId: config.adminAccessKeyId,
        secretAccessKey: config.adminSecretAccessKey,
        principalArn,
        status: 'Active',
        createdAt: Date.now(),
      });
    }
    await store.setSetting(SETTING, config.adminAccessKeyId);
    return { accessKeyId: config.adminAccessKeyId, secretAccessKey: config.adminSecretAccessKey };
  }
  const id = await store.getSetting(SETTING);
  const existing = id ? await store.getAccessKey(id) : undefined;
  if (existing && existing.status === 'Active') return { accessKeyId: existing.accessKeyId, secretAccessKey: existing.secretAccessKey };
  const key = { accessKeyId: newAccessKeyId(), secretAccessKey: newSecret() };
  await store.putAccessKey({ ...key, principalArn, status: 'Active', createdAt: Date.now() });
  await store.setSetting(SETTING, key.accessKeyId);
  return key;
}

/** DIR/credentials: an AWS shared-credentials file with profile "clary", mode 0600, written atomically. */
export async function writeCredentialsFile(config: ClaryConfig, key: AdminKey): Promise<string> {
  const file = join(config.dataDir, 'credentials');
  const text =
    `# Written by Clary. Use with: AWS_SHARED_CREDENTIALS_FILE=${file} aws --profile clary --endpoint-url http://${config.host}:${config.port} …\n` +
    `[clary]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\nregion = ${config.region}\n`;
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
  return file;
}
