import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function signedGet(path: string, query: Record<string, string>): Promise<Response> {
  const url = new URL(server.endpoint);
  const signer = new SignatureV4({ credentials: server.credentials, region: server.region, service: 'clary', sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(new HttpRequest({ method: 'GET', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path, query, headers: { host: url.host } }));
  return fetch(`${server.endpoint}${path}?${new URLSearchParams(query)}`, { headers: signed.headers as Record<string, string> });
}

describe("Clary's own routes", () => {
  it('serves the instance catalog to anyone', async () => {
    const res = await fetch(`${server.endpoint}/_clary/instances?family=t3`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { instanceTypes: { name: string }[] };
    expect(body.instanceTypes.map((t) => t.name)).toContain('ml.t3.medium');
    expect((await fetch(`${server.endpoint}/_clary/instances?family=nope`)).status).toBe(400);
  });

  it('serves costs only to a signed admin request', async () => {
    const anonymous = await fetch(`${server.endpoint}/_clary/costs?since=2026-01-01`);
    expect(anonymous.status).toBe(403);
    const res = await signedGet('/_clary/costs', { by: 'type', since: '2026-01-01' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ rows: [] });
    expect((await signedGet('/_clary/costs', { by: 'planet', since: '2026-01-01' })).status).toBe(400);
  });
});
