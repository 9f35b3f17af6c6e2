/**
 * Where the proxy serves each app (docs/studio-apps.md): under Clary's own port,
 *   /studio/<domain-id>/spaces/<space>/<app type>/<app name>/   a space's app
 *   /studio/<domain-id>/users/<user>/<app type>/<app name>/     a user profile's own JupyterServer
 * (all lower-case). The Jupyter server is started with exactly this base_url, so its own links
 * and redirects stay under the prefix.
 */
export const STUDIO_PREFIX = '/studio/';

/** The app types this installation serves; both are Debian's Jupyter Notebook (no JupyterLab package in Debian 12's set). */
export const SERVED_APP_TYPES = ['JupyterServer', 'JupyterLab'] as const;
export const isServedAppType = (t: string): boolean => (SERVED_APP_TYPES as readonly string[]).includes(t);

export function appBaseUrl(domainId: string, owner: { SpaceName?: string; UserProfileName?: string }, appType: string, appName: string): string {
  const who = owner.SpaceName ? `spaces/${owner.SpaceName}` : `users/${owner.UserProfileName ?? ''}`;
  return `${STUDIO_PREFIX}${domainId}/${who}/${appType}/${appName}/`.toLowerCase();
}

export interface AppPath {
  readonly domainId: string;
  readonly owner: { SpaceName?: string; UserProfileName?: string };
  readonly appType?: string;
  readonly appName?: string;
}

const PATH = /^\/studio\/(d-[a-z0-9-]+)\/(spaces|users)\/([a-zA-Z0-9-]+)(?:\/([a-zA-Z]+)(?:\/([a-zA-Z0-9-]+))?)?(?:\/|$)/;

/** Parses a proxy path; undefined when it names no space or user. */
export function parseAppPath(pathname: string): AppPath | undefined {
  const m = PATH.exec(pathname);
  if (!m) return undefined;
  const owner = m[2] === 'spaces' ? { SpaceName: m[3]!.toLowerCase() } : { UserProfileName: m[3]!.toLowerCase() };
  return { domainId: m[1]!, owner, appType: m[4]?.toLowerCase(), appName: m[5]?.toLowerCase() };
}
