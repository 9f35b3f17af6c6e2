import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import type { PreparedRequest } from './load.js';

/** A SigV4-signed AWS JSON 1.1 request, as the SDKs send it. */
export async function signedJsonRequest(
  endpoint: string,
  target: string,
  body: object,
  credentials: { accessKeyId: string; secretAccessKey: string },
  service = 'sagemaker',
  region = 'us-east-1',
): Promise<PreparedRequest> {
  const url = new URL(endpoint);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ credentials, region, service, sha256: Hash.bind(null, 'sha256') });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, 'content-length': String(Buffer.byteLength(text)) },
      body: text,
    }),
  );
  return { url: `${endpoint}/`, method: 'POST', headers: signed.headers as Record<string, string>, body: text };
}
