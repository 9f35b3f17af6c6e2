import { request } from 'node:http';
import { connect } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/** Hand-made SigV4 requests, signed by @smithy/signature-v4 exactly as the SDKs sign them. */
export interface SignSpec {
  readonly method: string;
  /** As sent on the wire (already percent-encoded). */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly service: string;
  readonly region?: string;
  readonly date?: Date;
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  readonly port: number;
}

function signer(spec: SignSpec) {
  return new SignatureV4({
    credentials: spec.credentials,
    region: spec.region ?? 'us-east-1',
    service: spec.service,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: spec.service !== 's3',
  });
}

const toRequest = (spec: SignSpec) =>
  new HttpRequest({
    method: spec.method,
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: spec.port,
    path: spec.path,
    query: spec.query ?? {},
    headers: { host: `127.0.0.1:${spec.port}`, ...(spec.headers ?? {}) },
    body: spec.body,
  });

export async function signHeaders(spec: SignSpec): Promise<{ headers: Record<string, string>; url: string }> {
  const signed = await signer(spec).sign(toRequest(spec), { signingDate: spec.date ?? new Date() });
  return { headers: signed.headers, url: spec.path + queryString(signed.query as Record<string, string>) };
}

export async function presignUrl(spec: SignSpec, expiresIn: number): Promise<string> {
  const signed = await signer(spec).presign(toRequest(spec), { signingDate: spec.date ?? new Date(), expiresIn });
  return spec.path + queryString(signed.query as Record<string, string>);
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function queryString(query: Record<string, string>): string {
  const parts = Object.keys(query)
    .sort()
    .map((k) => `${rfc3986(k)}=${rfc3986(query[k]!)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** Sends a request and answers the status and body text. */
export function rawRequest(
  port: number,
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Buffer[] = [],
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    for (const b of body) req.write(b);
    req.end();
  });
}

/** Writes a request head and part of its body on a raw socket, then hangs up (a client that died). */
export function truncatedRequest(port: number, method: string, url: string, headers: Record<string, string>, partialBody: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      const head = [`${method} ${url} HTTP/1.1`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      socket.write(head);
      socket.end(partialBody);
    });
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.resume();
  });
}
