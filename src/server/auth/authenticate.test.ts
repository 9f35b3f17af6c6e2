import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSigV4Harness, TEST_PRINCIPAL, type SigV4Harness } from '../../../test/support/sigv4-harness.js';

let h: SigV4Harness;
beforeAll(async () => {
  h = await startSigV4Harness();
});
afterAll(async () => h.close());

const config = () => ({ endpoint: h.endpoint, region: 'eu-west-3', credentials: h.credentials, forcePathStyle: true, maxAttempts: 1 });

describe('authenticate with real SDK signatures', () => {
  it('accepts an S3 GetObject whose key has spaces, unicode and plus signs', async () => {
    h.family = 's3';
    const s3 = new S3Client(config());
    await s3.send(new GetObjectCommand({ Bucket: 'my-bucket', Key: 'dir/a key+plus/ünï ✓ (1)~*.txt', Range: 'bytes=0-1' }));
    const o = h.last();
    expect(o.error).toBeUndefined();
    expect(o.raw.url).toContain('%20');
    expect(o.auth?.principal).toEqual(TEST_PRINCIPAL);
    expect(o.auth?.presigned).toBe(false);
    s3.destroy();
  });

  it('accepts an S3 PutObject streamed with a crc32 trailer and decodes the body', async () => {
    h.family = 's3';
    const s3 = new S3Client(config());
    const body = Buffer.from('hello aws-chunked world '.repeat(1000));
    await s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: Readable.from([body.subarray(0, 10_000), body.subarray(10_000)]), ContentLength: body.length }));
    const o = h.last();
    expect(o.error).toBeUndefined();
    expect(o.auth?.payload).toEqual({ kind: 'streaming-unsigned-trailer' });
    expect(o.body?.equals(body)).toBe(true);
    expect(o.checksums?.crc32).toMatch(/^[A-Za-z0-9+/]{6}==$/);
    s3.destroy();
  });

  it('accepts an AWS JSON request (SageMaker)', async () => {
    h.family = 'json';
    const sm = new SageMakerClient(config());
    await sm.send(new ListTrainingJobsCommand({ MaxResults: 5, NameContains: 'a b+c' }));
    const o = h.last();
    expect(o.error).toBeUndefined();
    expect(o.auth?.payload.kind).toBe('hash');
    sm.destroy();
  });

  it('accepts a query request (STS)', async () => {
    h.family = 'query';
    const sts = new STSClient(config());
    await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
    const o = h.last();
    expect(o.error).toBeUndefined();
    expect(o.auth?.principal.arn).toBe(TEST_PRINCIPAL.arn);
    sts.destroy();
  });
});
