import { createHash } from 'node:crypto';
import { request, Agent } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { TestServer } from '../../support/server.js';

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface OutgoingRequest {
  readonly method: string;
  /** Already percent-encoded path (sent and signed as is). */
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

const sha256Hex = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Sends one HTTP request to the test server, unsigned, exactly as given. */
export function sendRaw(server: TestServer, req: OutgoingRequest): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  const qs = req.query ? new URLSearchParams(req.query).toString().replace(/\+/g, '%20') : '';
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  return new Promise((resolve, reject) => {
    const r = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.path + (qs ? `?${qs}` : ''),
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    r.on('error', reject);
    r.end(body);
  });
}

/** Signs with SigV4 (the test server's admin key) for `service`, then sends. S3 gets x-amz-content-sha256. */
export async function sendSigned(server: TestServer, service: string, req: OutgoingRequest): Promise<RawResponse> {
  const url = new URL(server.endpoint);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
  const headers: Record<string, string> = { host: url.host, ...req.headers };
  if (service === 's3' && !Object.keys(headers).some((h) => h.toLowerCase() === 'x-amz-content-sha256')) {
    headers['x-amz-content-sha256'] = sha256Hex(body ?? '');
  }
  const signer = new SignatureV4({
    service,
    region: server.region,
    credentials: server.credentials,
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
  const signed = await signer.sign(
    new HttpRequest({ method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: req.path, query: req.query ?? {}, headers, body }),
  );
  return sendRaw(server, { ...req, headers: signed.headers as Record<string, string>, body });
}

export function closeAgent(): void {
  agent.destroy();
}
