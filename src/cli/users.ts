import { ConfigError } from '../core/config.js';
import type { ArnScope } from '../core/arn.js';
import type { MetadataStore } from '../store/metadata-store.js';
import { credentialsFileText, StudioUserNotFound, userCredentials } from '../studio/user-credentials.js';

export interface UsersCredentialsOptions {
  rotate?: boolean;
  /** The profile name in the printed credentials (default "<domain-id>-<user>"). */
  profile?: string;
}

/**
 * `clary users credentials <domain> <user> [--rotate] [--profile P]`: a Studio user profile's
 * access key pair in the AWS shared-credentials form (append it to ~/.aws/credentials and use
 * `aws --profile P`), created on first use; --rotate replaces it (the old key stops working).
 */
export async function usersCredentialsCommand(store: MetadataStore, scope: ArnScope & { region: string }, domain: string, user: string, opts: UsersCredentialsOptions = {}): Promise<string> {
  try {
    const c = await userCredentials(store, scope, domain, user, { rotate: opts.rotate });
    return credentialsFileText(c, scope.region, opts.profile);
  } catch (e) {
    if (e instanceof StudioUserNotFound) throw new ConfigError(e.message);
    throw e;
  }
}
