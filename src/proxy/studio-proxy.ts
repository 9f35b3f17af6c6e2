import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { parseAppPath, STUDIO_PREFIX, type AppPath } from '../controllers/apps/app-paths.js';
import { APP_KIND, appFacts, appId, appOwnerKey, type AppDoc } from '../services/sagemaker/apps-doc.js';
import type { Platform } from '../services/service.js';
import { nestedId, USER_PROFILE_KIND } from '../studio/user-identity.js';
import { canSeeSpace } from '../studio/visibility.js';
import type { AuditLog } from './audit-log.js';
import { forwardHttp, forwardUpgrade, type Upstream } from './forward.js';
import { redeemLoginToken } from './login-tokens.js';
import { createSession, findSession, sessionCookie } from './sessions.js';

type Decision =
  | { ok: true; upstream: Upstream; user: string }
  | { ok: false; status: number; message: string; user: string | null; location?: string };

/**
 * The authenticated reverse proxy in front of Studio apps (docs/studio-apps.md), on Clary's own
 * port under /studio/, before SigV4:
 *
 *   /studio/<domain>/auth?token=…          a presigned URL: one-time token → session cookie → redirect
 *   /studio/<domain>/spaces/<space>/        redirects to the space's running app
 *   /studio/<domain>/spaces/<space>/<type>/<app>/…   forwarded (HTTP and WebSocket) to that app's
 *                                           Jupyter with its token, if the session's user may open the space
 *
 * Every answer is written to the audit log with the session's user.
 */
export class StudioProxy {
  constructor(private readonly platform: Platform, private readonly audit: AuditLog) {}

  handles(req: IncomingMessage): boolean {
    return (req.url ?? '').startsWith(STUDIO_PREFIX);
  }

  async http(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = safeUrl(req.url);
    const path = url.pathname;
    const domainMatch = /^\/studio\/(d-[a-z0-9-]+)\//.exec(path);
    let status = 500;
    let user: string | null = null;
    try {
      if (domainMatch && path === `/studio/${domainMatch[1]}/auth`) {
        ({ status, user } = await this.login(domainMatch[1]!, url, res));
        return;
      }
      const d = await this.decide(req, path);
      user = d.user;
      if (!d.ok) {
        status = d.status;
        if (d.location) {
          res.writeHead(302, { location: d.location, 'content-length': 0 });
          res.end();
          return;
        }
        return void page(res, d.status, d.message);
      }
      status = await forwardHttp(req, res, d.upstream);
    } catch (e) {
      this.platform.log.error({ err: e, path }, 'studio proxy failed');
      status = 500;
      if (!res.headersSent) page(res, 500, 'Clary could not serve this Studio request.');
      else res.destroy();
    } finally {
      const app = parseAppPath(path);
      this.audit.record({ domainId: domainMatch?.[1] ?? '', owner: app ? appOwnerKey(app.owner) : '', user, method: req.method ?? '', path, status, kind: 'http' });
    }
  }

  async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const path = safeUrl(req.url).pathname;
    const app = parseAppPath(path);
    let status = 500;
    let user: string | null = null;
    try {
      const d = await this.decide(req, path);
      user = d.user;
      if (!d.ok) {
        status = d.status === 302 ? 403 : d.status;
        socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Unavailable'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${d.message}\n`);
        return;
      }
      status = await forwardUpgrade(req, socket, head, d.upstream);
    } catch (e) {
      this.platform.log.error({ err: e, path }, 'studio proxy upgrade failed');
      socket.destroy();
    } finally {
      this.audit.record({ domainId: app?.domainId ?? '', owner: app ? appOwnerKey(app.owner) : '', user, method: req.method ?? '', path, status, kind: 'websocket' });
    }
  }

  private async login(domainId: string, url: URL, res: ServerResponse): Promise<{ status: number; user: string | null }> {
    const { store } = this.platform;
    const now = this.platform.now();
    const r = await redeemLoginToken(store, url.searchParams.get('token') ?? '', now);
    if (!r.ok || r.doc.domainId !== domainId) {
      page(res, 403, r.ok || r.why === 'unknown' ? 'This presigned URL is not valid: it was already used, or never issued. Ask for a new one (CreatePresignedDomainUrl).' : 'This presigned URL has expired. Ask for a new one (CreatePresignedDomainUrl).');
      return { status: 403, user: null };
    }
    const t = r.doc;
    const value = await createSession(store, { domainId, userProfileName: t.userProfileName, expiresAt: now + t.sessionSeconds * 1000 }, now);
    const appType = /^app:([A-Za-z]+):/.exec(t.landingUri ?? '')?.[1];
    const owner = t.spaceName ? `spaces/${t.spaceName}` : `users/${t.userProfileName}`;
    const location = `/studio/${domainId}/${owner}/${appType ? `${appType.toLowerCase()}/` : ''}`;
    res.writeHead(302, { location, 'set-cookie': sessionCookie(value, domainId, t.sessionSeconds), 'cache-control': 'no-store', 'content-length': 0 });
    res.end();
    return { status: 302, user: t.userProfileName };
  }

  private async decide(req: IncomingMessage, path: string): Promise<Decision> {
    const app = parseAppPath(path);
    if (!app) return { ok: false, status: 404, message: `No Studio page at ${path}.`, user: null };
    const { store } = this.platform;
    const session = await findSession(store, req, app.domainId, this.platform.now());
    if (!session) return { ok: false, status: 403, message: 'Forbidden: no Studio session for this domain. Open a presigned URL (CreatePresignedDomainUrl) first.', user: null };
    const user = session.userProfileName;
    if (!(await store.getResource(USER_PROFILE_KIND, nestedId(app.domainId, user)))) {
      return { ok: false, status: 403, message: `Forbidden: user profile ${user} no longer exists.`, user };
    }
    const facts = await appFacts(store, { DomainId: app.domainId, ...app.owner });
    if (!facts || !canSeeSpace({ kind: 'user', user: { domainId: session.domainId, userProfileName: user } }, facts)) {
      return { ok: false, status: 403, message: `Forbidden: user profile ${user} may not open this space.`, user };
    }
    if (!app.appType || !app.appName) {
      const live = await this.liveApp(app);
      if (!live) return { ok: false, status: 404, message: `No app is running here${app.appType ? ` of type ${app.appType}` : ''}: start one with CreateApp.`, user };
      return { ok: false, status: 302, message: '', user, location: live.Clary.baseUrl };
    }
    const rec = await store.getResource<AppDoc>(APP_KIND, appId(app.domainId, app.owner, app.appType, app.appName));
    if (!rec) return { ok: false, status: 404, message: `No app ${app.appName} of type ${app.appType} here.`, user };
    if (rec.doc.Status !== 'InService' || rec.doc.Clary.port === undefined) {
      return { ok: false, status: 503, message: `App ${rec.doc.AppName} is ${rec.doc.Status}${rec.doc.Status === 'Pending' ? '; reload in a moment' : ''}.`, user };
    }
    return { ok: true, user, upstream: { host: rec.doc.Clary.address ?? '127.0.0.1', port: rec.doc.Clary.port, token: rec.doc.Clary.token } };
  }

  /** The space's (or user's) InService app, of the given type when one is named. */
  private async liveApp(app: AppPath): Promise<AppDoc | undefined> {
    let cursor: string | undefined;
    const key = appOwnerKey(app.owner);
    do {
      const page = await this.platform.store.listResources<AppDoc>({ kind: APP_KIND, parent: app.domainId, statusEquals: 'InService', sortBy: 'creationTime', sortOrder: 'desc', limit: 200, cursor });
      const hit = page.items.find((r) => appOwnerKey(r.doc) === key && (!app.appType || r.doc.AppType.toLowerCase() === app.appType));
      if (hit) return hit.doc;
      cursor = page.nextCursor;
    } while (cursor);
    return undefined;
  }
}

function safeUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return new URL('http://localhost/');
  }
}

function page(res: ServerResponse, status: number, message: string): void {
  const body = `${status} ${message}\n`;
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}
