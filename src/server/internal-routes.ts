import type { IncomingMessage, ServerResponse } from 'node:http';
import { CatalogQueryError, queryInstanceTypes } from '../compute/catalog/index.js';
import { COST_KEYS, summarizeCosts, type CostKey } from '../compute/metering/index.js';
import type { Platform } from '../services/service.js';
import type { Principal } from '../core/principal.js';
import { containerCredentials, CONTAINER_CREDENTIALS_PATH } from './container-credentials.js';

/**
 * Routes anyone may read (liveness, the public instance catalog) or that carry their own token
 * instead of SigV4 (a training job's container credentials); every other /_clary/ route is signed.
 */
export const PUBLIC_INTERNAL_ROUTES: ReadonlySet<string> = new Set(['/_clary/health', '/_clary/instances', CONTAINER_CREDENTIALS_PATH]);

/** Clary's own routes under /_clary/: health and the catalog are public; the rest need a signed request (the pipeline authenticates them). */
export function createInternalRoutes(isReady: () => boolean, platform: Platform) {
  return async function internal(_req: IncomingMessage, res: ServerResponse, url: URL, principal?: Principal): Promise<void> {
    if (url.pathname === CONTAINER_CREDENTIALS_PATH) return containerCredentials(_req, res, platform);
    if (url.pathname === '/_clary/health') {
      const ready = isReady();
      const body = JSON.stringify({ status: ready ? 'ok' : 'starting' });
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (url.pathname === '/_clary/instances') {
      const q = (k: string) => url.searchParams.get(k) ?? undefined;
      try {
        return send(res, 200, queryInstanceTypes({ family: q('family'), workload: q('workload'), region: q('region') }));
      } catch (e) {
        if (e instanceof CatalogQueryError) return send(res, 400, { message: e.message });
        throw e;
      }
    }
    if (url.pathname === '/_clary/costs' && principal) {
      // The console's cost view: what `clary costs` prints, as JSON. Admin only.
      if (!principal.isAdmin) return send(res, 403, { message: 'Only the admin may read costs.' });
      const by = (url.searchParams.get('by') ?? 'user') as CostKey;
      const since = Date.parse(url.searchParams.get('since') ?? '');
      const untilText = url.searchParams.get('until');
      const until = untilText === null ? undefined : Date.parse(untilText);
      if (!COST_KEYS.includes(by)) return send(res, 400, { message: `by must be one of ${COST_KEYS.join(', ')}` });
      if (!Number.isFinite(since) || (until !== undefined && !Number.isFinite(until))) return send(res, 400, { message: 'since (and until) must be dates like 2026-11-01' });
      try {
        return send(res, 200, await summarizeCosts(platform.store, { by, since, until, region: platform.config.region, now: platform.now() }));
      } catch (e) {
        return send(res, 400, { message: (e as Error).message });
      }
    }
    const body = JSON.stringify({ message: `No Clary route ${url.pathname}` });
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
