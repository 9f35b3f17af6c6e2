import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSigV4Harness, type SigV4Harness } from '../../../test/support/sigv4-harness.js';
import { queryString, rawRequest } from '../../../test/support/sigv4-client.js';
import type { AuthFamily } from './types.js';

let h: SigV4Harness;
beforeAll(async () => {
  h = await startSigV4Harness();
});
afterAll(async () => h.close());

const text = fc.stringMatching(/^[ -~]{0,40}$/);
const piece = fc.oneof(
  text,
  fc.constantFrom('AKIDCLARYTEST0000001/20240101/us-east-1/s3/aws4_request', 'AKID//////', '/', 'a/b/c/d/e', ''),
);
const header = fc
  .tuple(
    fc.constantFrom('AWS4-HMAC-SHA256 ', 'AWS ', 'AWS4-ECDSA-P256-SHA256 ', '', 'Bearer '),
    fc.array(fc.tuple(fc.constantFrom('Credential', 'SignedHeaders', 'Signature', 'Other', ''), piece), { maxLength: 4 }),
  )
  .map(([alg, parts]) => (alg + parts.map(([k, v]) => `${k}=${v}`).join(', ')).trim());
const query = fc.dictionary(
  fc.constantFrom('X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'AWSAccessKeyId', 'Signature', 'Expires', 'x'),
  piece,
);
const date = fc.oneof(text, fc.constantFrom('20240101T000000Z', '20241301T000000Z', 'Mon, 01 Jan 2024 00:00:00 GMT'));
const sha = fc.oneof(text, fc.constantFrom('UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'e'.repeat(64)));

describe('authenticate on arbitrary input', () => {
  it('answers every malformed request with a 4xx ServiceError, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<AuthFamily>('s3', 'json', 'rest-json', 'query'),
        fc.option(header, { nil: undefined }),
        query,
        fc.option(date, { nil: undefined }),
        fc.option(sha, { nil: undefined }),
        async (family, authorization, q, amzDate, contentSha) => {
          h.family = family;
          const headers: Record<string, string> = {};
          if (authorization !== undefined) headers.authorization = authorization;
          if (amzDate !== undefined) headers['x-amz-date'] = amzDate;
          if (contentSha !== undefined) headers['x-amz-content-sha256'] = contentSha;
          const r = await rawRequest(h.port, 'PUT', `/b/k${queryString(q)}`, headers, [Buffer.from('body')]);
          expect(r.status).toBeGreaterThanOrEqual(400);
          expect(r.status).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
