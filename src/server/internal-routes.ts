import type { IncomingMessage, ServerResponse } from 'node:http';

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
    const body = JSON.stringify({ message: `No Clary route ${url.pathname}` });
    res.writeHead(404, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
}
