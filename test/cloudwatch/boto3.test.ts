import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./boto3_cloudwatch.py', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ controllers: false });
});
afterAll(async () => {
  await server?.close();
});

describe('CloudWatch through boto3', () => {
  it('speaks JSON 1.0 (botocore default), smithy-rpc-v2-cbor and query, with gzip bodies, pagination and CloudWatch error codes', async () => {
    const { stdout } = await run('python3', [SCRIPT], { env: server.env, maxBuffer: 16 * 1024 * 1024 });
    const out = JSON.parse(stdout);
    expect([out.json.paths, out.json.content]).toEqual([[''], ['application/x-amz-json-1.0']]);
    expect([out['smithy-rpc-v2-cbor'].paths, out['smithy-rpc-v2-cbor'].content]).toEqual([['service/GraniteServiceVersion20100801'], ['rpc-v2-cbor']]);
    expect([out.query.paths, out.query.content]).toEqual([[''], ['application/x-www-form-urlencoded; charset=utf-8']]);
    for (const protocol of ['json', 'smithy-rpc-v2-cbor', 'query']) {
      const r = out[protocol];
      const iso = (m: number) => expect.stringMatching(new RegExp(`T\\d\\d:0${m}:00(\\+00:00|Z)?$`));
      expect(r.gzip, protocol).toBe(true);
      expect(r.stats, protocol).toEqual([
        [iso(0), 'Milliseconds', 14.5, 4, 3.625, 10.5],
        [iso(1), 'Milliseconds', 3, 2, 1.5, 2],
      ]);
      expect(r.data, protocol).toEqual([
        ['min', [iso(0)], [1], 'PartialData'],
        ['min', [iso(1)], [1], 'Complete'],
      ]);
      expect(r.many, protocol).toBe(300);
      expect(r.list, protocol).toEqual([
        {
          Namespace: `Boto3/${protocol}`,
          MetricName: 'Latency',
          Dimensions: [
            { Name: 'EndpointName', Value: 'ep' },
            { Name: 'VariantName', Value: 'AllTraffic' },
          ],
        },
      ]);
      expect(r.errors, protocol).toEqual({
        aws_namespace: ['InvalidParameterValue', 'The value AWS/SageMaker for parameter Namespace is invalid.', 400],
        both: ['InvalidParameterCombination', expect.stringContaining('mutually exclusive'), 400],
        extended: ['InvalidParameterCombination', expect.stringContaining('ExtendedStatistics'), 400],
        token: ['InvalidNextToken', expect.stringContaining('NextToken'), 400],
        expression: ['InvalidParameterValue', expect.stringContaining('metric math'), 400],
      });
    }
  });
});
