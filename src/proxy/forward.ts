import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { withoutSessionCookie } from './sessions.js';

export interface Upstream {
  readonly host: string;
  readonly port: number;
  /** Jupyter's token, sent as `Authorization: token …`. */
  readonly token: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The request's headers for Jupyter: hop-by-hop ones, the caller's Authorization and Clary's session cookie dropped, the app's token added. */
function upstreamHeaders(headers: IncomingHttpHeaders, up: Upstream, keepUpgrade: boolean): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || k === 'authorization' || k === 'cookie') continue;
    if (!keepUpgrade && HOP_BY_HOP.has(k)) continue;
    out[k] = v;
  }
  const cookie = withoutSessionCookie(headers.cookie);
  if (cookie) out.cookie = cookie;
  out.authorization = `token ${up.token}`;
  return out;
}

/** Streams one HTTP request to Jupyter and its answer back; resolves with the status sent. */
export function forwardHttp(req: IncomingMessage, res: ServerResponse, up: Upstream): Promise<number> {
  return new Promise((resolve) => {
    const out = request({ host: up.host, port: up.port, method: req.method, path: req.url, headers: upstreamHeaders(req.headers, up, false), agent: false }, (answer) => {
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
      answer.on('end', () => resolve(answer.statusCode ?? 502));
      answer.on('error', () => resolve(502));
    });
    out.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('502 Bad Gateway: the app\'s Jupyter server did not answer.\n');
      } else res.destroy();
      resolve(502);
    });
    req.pipe(out);
  });
}

/** Opens a WebSocket (any upgrade) to Jupyter and splices the two sockets; resolves with the status Jupyter answered. */
export function forwardUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, up: Upstream): Promise<number> {
  return new Promise((resolve) => {
    const upstream = connect(up.port, up.host);
    upstream.on('connect', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries(upstreamHeaders(req.headers, up, true))) for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${one}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.once('data', (first: Buffer) => {
        const m = /^HTTP\/1\.1 (\d{3})/.exec(first.subarray(0, 32).toString('latin1'));
        resolve(m ? Number(m[1]) : 502);
      });
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const end = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', () => {
      if (socket.writable) socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
      resolve(502);
      end();
    });
    socket.on('error', end);
    upstream.on('close', end);
    socket.on('close', end);
  });
}
