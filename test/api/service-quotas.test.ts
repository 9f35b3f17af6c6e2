import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** `aws service-quotas` against the full server: GPU quotas start at 0, the admin raises one at once. */
describe('Service Quotas through the AWS CLI', () => {
  const aws = async (...args: string[]) => JSON.parse((await run('aws', ['service-quotas', ...args, '--output', 'json'], { env: server.env })).stdout);

  it('lists SageMaker quotas and applies an admin increase at once', async () => {
    const list = await aws('list-service-quotas', '--service-code', 'sagemaker');
    const g5 = list.Quotas.find((q: { QuotaName: string }) => q.QuotaName === 'ml.g5.xlarge for training job usage');
    expect(g5).toMatchObject({ ServiceCode: 'sagemaker', Value: 0, Adjustable: true });
    const req = await aws('request-service-quota-increase', '--service-code', 'sagemaker', '--quota-code', g5.QuotaCode, '--desired-value', '2');
    expect(req.RequestedQuota).toMatchObject({ QuotaCode: g5.QuotaCode, DesiredValue: 2 });
    const after = await aws('get-service-quota', '--service-code', 'sagemaker', '--quota-code', g5.QuotaCode);
    expect(after.Quota.Value).toBe(2);
  });

  it('an unknown quota code is NoSuchResourceException', async () => {
    await expect(aws('get-service-quota', '--service-code', 'sagemaker', '--quota-code', 'L-00000000')).rejects.toMatchObject({
      stderr: expect.stringContaining('NoSuchResourceException'),
    });
  });
});
