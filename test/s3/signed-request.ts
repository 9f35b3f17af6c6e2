import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestServer } from '../support/server.js';

export const sha256hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const md5b64 = (b: Buffer | string) => createHash('md5').update(b).digest('base64');

/** SigV4-signed headers for a hand-made S3 request (for malformed input the SDK would never send). */
export async function signedHeaders(
  server: TestServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  query: Record<string, string> = {},
): Promise<Record<string, string>> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ service: 's3', region: server.region, credentials: server.credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: false, applyChecksum: false });
  const req = new HttpRequest({ method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host, ...headers } });
  const signed = await signer.sign(req);
  return signed.headers as Record<string, string>;
}

/** Writes a raw HTTP/1.1 request (head + whatever body bytes) and returns the first response head and body text. */
export function rawExchange(server: TestServer, head: string, body: Buffer, opts: { halfClose?: boolean } = {}): Promise<{ status: number; text: string }> {
  const url = new URL(server.endpoint);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(url.port), url.hostname);
    let data = '';
    sock.on('data', (d) => (data += d.toString('latin1')));
    sock.on('error', () => {});
    sock.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (!m) return reject(new Error(`no HTTP response: ${JSON.stringify(data.slice(0, 200))}`));
      resolve({ status: Number(m[1]), text: data });
    });
    sock.write(head);
    sock.write(body);
    if (opts.halfClose) sock.end();
    setTimeout(() => sock.end(), 2000).unref();
  });
}

export function requestHead(method: string, path: string, headers: Record<string, string>): string {
  return `${method} ${path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\nconnection: close\r\n\r\n`;
}
