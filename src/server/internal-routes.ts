import type { IncomingMessage, ServerResponse } from 'node:http';
import { CatalogQueryError, queryInstanceTypes } from '../compute/catalog/index.js';

/** Clary's own routes under /_clary/ (unauthenticated: they reveal nothing but liveness). */
export function createInternalRoutes(isReady: () => boolean) {
  return async function internal(_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
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
