import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSigV4Harness, type SigV4Harness } from '../../../test/support/sigv4-harness.js';
import { presignUrl, rawRequest, signHeaders } from '../../../test/support/sigv4-client.js';
import type { AuthFamily } from './types.js';

let h: SigV4Harness;
beforeAll(async () => {
  h = await startSigV4Harness();
});
afterAll(async () => h.close());
beforeEach(() => {
  h.now = undefined;
});

type Creds = { accessKeyId: string; secretAccessKey: string };

/** Sends one request of the family with the real SDK client and answers the error Clary produced. */
async function sdkCall(family: AuthFamily, credentials: Creds): Promise<{ code?: string; status?: number; message?: string }> {
  h.family = family;
  const before = h.outcomes.length;
  const config = { endpoint: h.endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 };
  if (family === 's3') {
    const c = new S3Client(config);
    await c.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })).catch(() => undefined);
    c.destroy();
  } else if (family === 'json') {
    const c = new SageMakerClient(config);
    await c.send(new ListTrainingJobsCommand({})).catch(() => undefined);
    c.destroy();
  } else {
    const c = new STSClient(config);
    await c.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    c.destroy();
  }
  const o = await h.waitFor(before + 1);
  return { code: o.error?.code, status: o.error?.status, message: o.error?.message };
}

describe('signature failures get each family’s own error', () => {
  it('wrong secret', async () => {
    const creds = { ...h.credentials, secretAccessKey: 'not-the-secret' };
    expect(await sdkCall('s3', creds)).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    expect(await sdkCall('json', creds)).toMatchObject({ code: 'InvalidSignatureException', status: 403 });
    expect(await sdkCall('query', creds)).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    const s3Error = h.outcomes.find((o) => o.error?.code === 'SignatureDoesNotMatch')!.error!;
    expect(s3Error.fields.CanonicalRequest).toContain('GET\n/b/k');
    expect(JSON.stringify(s3Error)).not.toContain(h.credentials.secretAccessKey);
  });

  it('unknown access key', async () => {
    const creds = { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'x' };
    expect(await sdkCall('s3', creds)).toMatchObject({
      code: 'InvalidAccessKeyId',
      status: 403,
      message: 'The AWS Access Key Id you provided does not exist in our records.',
    });
    expect(await sdkCall('json', creds)).toMatchObject({ code: 'UnrecognizedClientException', status: 403 });
    expect(await sdkCall('query', creds)).toMatchObject({ code: 'InvalidClientTokenId', status: 403 });
  });

  it('clock skewed by more than 15 minutes', async () => {
    h.now = Date.now() + 20 * 60_000;
    expect(await sdkCall('s3', h.credentials)).toMatchObject({ code: 'RequestTimeTooSkewed', status: 403 });
    const json = await sdkCall('json', h.credentials);
    expect(json).toMatchObject({ code: 'InvalidSignatureException', status: 403 });
    expect(json.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/);
    expect(await sdkCall('query', h.credentials)).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
    h.now = Date.now() - 20 * 60_000;
    expect((await sdkCall('json', h.credentials)).message).toMatch(/^Signature not yet current: /);
  });

  it('missing authentication', async () => {
    const cases: [AuthFamily, string][] = [
      ['s3', 'AccessDenied'],
      ['json', 'MissingAuthenticationTokenException'],
      ['rest-json', 'MissingAuthenticationTokenException'],
      ['query', 'MissingAuthenticationToken'],
    ];
    for (const [family, code] of cases) {
      h.family = family;
      const r = await rawRequest(h.port, 'GET', '/b/k', {});
      expect(r.status).toBe(403);
      expect(h.last().error?.code).toBe(code);
    }
  });

  it('malformed Authorization header', async () => {
    const bad = { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request', 'x-amz-date': '20240101T000000Z', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
    h.family = 's3';
    expect((await rawRequest(h.port, 'GET', '/b/k', bad)).status).toBe(400);
    expect(h.last().error?.code).toBe('AuthorizationHeaderMalformed');
    h.family = 'json';
    await rawRequest(h.port, 'POST', '/', bad);
    expect(h.last().error).toMatchObject({ code: 'IncompleteSignatureException', status: 400 });
    expect(h.last().error?.message).toContain("Authorization header requires 'Signature' parameter.");
    h.family = 'query';
    await rawRequest(h.port, 'POST', '/', { ...bad, authorization: 'AWS4-HMAC-SHA256 Credential=AKID/2024/x, SignedHeaders=host, Signature=00' });
    expect(h.last().error).toMatchObject({ code: 'IncompleteSignature', status: 400 });
  });

  it('bad date format, SigV4a and bad SigV2', async () => {
    h.family = 'json';
    const { headers, url } = await signHeaders({ method: 'POST', path: '/', service: 'sagemaker', body: '{}', credentials: h.credentials, port: h.port });
    await rawRequest(h.port, 'POST', url, { ...headers, 'x-amz-date': '2024-01-01T00:00:00Z' }, [Buffer.from('{}')]);
    expect(h.last().error).toMatchObject({ code: 'IncompleteSignatureException', status: 400 });
    h.family = 's3';
    await rawRequest(h.port, 'GET', '/b/k', { authorization: 'AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, SignedHeaders=host, Signature=00' });
    expect(h.last().error).toMatchObject({ code: 'InvalidRequest', status: 400 });
    await rawRequest(h.port, 'GET', '/b/k', { authorization: 'AWS AKIDUNKNOWN:c2lnbmF0dXJl', date: new Date().toUTCString() });
    expect(h.last().error).toMatchObject({ code: 'InvalidAccessKeyId', status: 403 });
    await rawRequest(h.port, 'GET', '/b/k', { authorization: `AWS ${h.credentials.accessKeyId}:c2lnbmF0dXJl`, date: new Date().toUTCString() });
    expect(h.last().error).toMatchObject({ code: 'SignatureDoesNotMatch', status: 403 });
  });

  it('S3 requires x-amz-content-sha256 with header auth and validates its value', async () => {
    h.family = 's3';
    const spec = { method: 'GET', path: '/b/k', service: 's3', credentials: h.credentials, port: h.port };
    const plain = await signHeaders(spec);
    delete plain.headers['x-amz-content-sha256'];
    await rawRequest(h.port, 'GET', plain.url, plain.headers);
    expect(h.last().error).toMatchObject({ code: 'InvalidRequest', message: 'Missing required header for this request: x-amz-content-sha256' });
    const odd = await signHeaders({ ...spec, headers: { 'x-amz-content-sha256': 'GIBBERISH' } });
    await rawRequest(h.port, 'GET', odd.url, odd.headers);
    expect(h.last().error).toMatchObject({ code: 'InvalidArgument', status: 400 });
  });
});

describe('presigned URLs', () => {
  // As @aws-sdk/s3-request-presigner does: the payload is UNSIGNED-PAYLOAD (hoisted into the query).
  const spec = () => ({
    method: 'GET',
    path: '/my-bucket/some%20dir/file%2Bname.txt',
    headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    service: 's3',
    credentials: h.credentials,
    port: h.port,
  });

  it('accepts a valid presigned GET', async () => {
    h.family = 's3';
    const url = await presignUrl(spec(), 300);
    const r = await rawRequest(h.port, 'GET', url, { host: `127.0.0.1:${h.port}` });
    expect(r.status).toBe(200);
    expect(h.last().auth).toMatchObject({ presigned: true, payload: { kind: 'unsigned' } });
  });

  it('refuses an expired one with AccessDenied "Request has expired"', async () => {
    h.family = 's3';
    const url = await presignUrl(spec(), 60);
    h.now = Date.now() + 120_000;
    const r = await rawRequest(h.port, 'GET', url, { host: `127.0.0.1:${h.port}` });
    expect(r.status).toBe(403);
    expect(h.last().error).toMatchObject({ code: 'AccessDenied', message: 'Request has expired' });
  });

  it('refuses a tampered one', async () => {
    h.family = 's3';
    const url = await presignUrl(spec(), 300);
    await rawRequest(h.port, 'GET', url.replace('file%2Bname', 'other'), { host: `127.0.0.1:${h.port}` });
    expect(h.last().error?.code).toBe('SignatureDoesNotMatch');
    await rawRequest(h.port, 'GET', url.replace('X-Amz-Expires=300', 'X-Amz-Expires=3000'), { host: `127.0.0.1:${h.port}` });
    expect(h.last().error?.code).toBe('SignatureDoesNotMatch');
    await rawRequest(h.port, 'GET', url.replace('X-Amz-Expires=300', 'X-Amz-Expires=700000'), { host: `127.0.0.1:${h.port}` });
    expect(h.last().error?.code).toBe('AuthorizationQueryParametersError');
  });

  it('accepts a presigned STS GetCallerIdentity (query family, empty payload hash)', async () => {
    h.family = 'query';
    const url = await presignUrl(
      { method: 'GET', path: '/', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, service: 'sts', credentials: h.credentials, port: h.port },
      60,
    );
    const r = await rawRequest(h.port, 'GET', url, { host: `127.0.0.1:${h.port}` });
    expect(r.status).toBe(200);
  });
});
