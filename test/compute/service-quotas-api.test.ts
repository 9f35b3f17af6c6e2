import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkQuota, quotaTable } from '../../src/compute/quotas/index.js';
import { serviceQuotasService } from '../../src/services/service-quotas/index.js';
import type { RequestContext } from '../../src/services/service.js';
import { startQuotasServer } from './support/quotas-server.js';

const run = promisify(execFile);
let server: Awaited<ReturnType<typeof startQuotasServer>>;
beforeAll(async () => {
  server = await startQuotasServer();
});
afterAll(async () => {
  await server?.close();
});

const t = quotaTable();
const g5Training = t.perType('training', 'ml.g5.xlarge')!;
const m5Training = t.perType('training', 'ml.m5.large')!;

async function aws(...args: string[]): Promise<any> {
  const { stdout } = await run('aws', ['service-quotas', ...args, '--output', 'json'], { env: server.env });
  return JSON.parse(stdout);
}

async function awsError(...args: string[]): Promise<string> {
  try {
    await run('aws', ['service-quotas', ...args], { env: server.env });
  } catch (e) {
    return String((e as { stderr?: string }).stderr);
  }
  throw new Error('expected the AWS CLI to fail');
}

describe('Service Quotas through the AWS CLI', () => {
  it('get-service-quota and get-aws-default-service-quota answer the model\'s shape', async () => {
    const out = await aws('get-service-quota', '--service-code', 'sagemaker', '--quota-code', m5Training.code);
    expect(out.Quota).toMatchObject({
      ServiceCode: 'sagemaker',
      ServiceName: 'Amazon SageMaker',
      QuotaArn: `arn:aws:servicequotas:us-east-1:000000000000:sagemaker/${m5Training.code}`,
      QuotaCode: m5Training.code,
      QuotaName: 'ml.m5.large for training job usage',
      Value: 20,
      Unit: 'None',
      Adjustable: true,
      GlobalQuota: false,
    });
    const def = await aws('get-aws-default-service-quota', '--service-code', 'sagemaker', '--quota-code', g5Training.code);
    expect(def.Quota).toMatchObject({ QuotaName: 'ml.g5.xlarge for training job usage', Value: 0 });
  });

  it('list-service-quotas pages through every SageMaker quota (the CLI follows NextToken)', async () => {
    const out = await aws('list-service-quotas', '--service-code', 'sagemaker');
    expect(out.Quotas).toHaveLength(t.all.length);
    expect(out.Quotas.map((q: { QuotaCode: string }) => q.QuotaCode)).toEqual(t.all.map((d) => d.code));
    const page = await aws('list-service-quotas', '--service-code', 'sagemaker', '--max-items', '5');
    expect(page.Quotas).toHaveLength(5);
    expect(page.NextToken).toBeTruthy();
  });

  it('unknown service and quota codes are NoSuchResourceException', async () => {
    expect(await awsError('list-service-quotas', '--service-code', 'ec2')).toContain('(NoSuchResourceException)');
    expect(await awsError('get-service-quota', '--service-code', 'sagemaker', '--quota-code', 'L-00000000')).toContain('(NoSuchResourceException)');
  });

  it('the admin\'s increase request is approved and applied at once; the history records it', async () => {
    const req = await aws('request-service-quota-increase', '--service-code', 'sagemaker', '--quota-code', g5Training.code, '--desired-value', '2');
    expect(req.RequestedQuota).toMatchObject({ QuotaCode: g5Training.code, DesiredValue: 2, Status: 'APPROVED', ServiceCode: 'sagemaker' });
    expect((await aws('get-service-quota', '--service-code', 'sagemaker', '--quota-code', g5Training.code)).Quota.Value).toBe(2);
    await checkQuota(server.store, { workload: 'training', instanceType: 'ml.g5.xlarge', delta: 2 });
    const got = await aws('get-requested-service-quota-change', '--request-id', req.RequestedQuota.Id);
    expect(got.RequestedQuota).toMatchObject({ Id: req.RequestedQuota.Id, Status: 'APPROVED' });
    const hist = await aws('list-requested-service-quota-change-history-by-quota', '--service-code', 'sagemaker', '--quota-code', g5Training.code);
    expect(hist.RequestedQuotas.map((r: { Id: string }) => r.Id)).toEqual([req.RequestedQuota.Id]);
    // the default is still 0
    expect((await aws('get-aws-default-service-quota', '--service-code', 'sagemaker', '--quota-code', g5Training.code)).Quota.Value).toBe(0);
    expect(await awsError('request-service-quota-increase', '--service-code', 'sagemaker', '--quota-code', g5Training.code, '--desired-value', '1')).toContain('(IllegalArgumentException)');
  });
});

describe('Service Quotas through boto3', () => {
  it('lists with a paginator, reads and requests', async () => {
    const script = `
import json, boto3, botocore
sq = boto3.client("service-quotas")
out = {}
out["count"] = sum(len(p["Quotas"]) for p in sq.get_paginator("list_service_quotas").paginate(ServiceCode="sagemaker", PaginationConfig={"PageSize": 100}))
out["defaults"] = sum(len(p["Quotas"]) for p in sq.get_paginator("list_aws_default_service_quotas").paginate(ServiceCode="sagemaker"))
out["agg"] = sq.get_service_quota(ServiceCode="sagemaker", QuotaCode="${t.aggregate('hosting')!.code}")["Quota"]["QuotaName"]
r = sq.request_service_quota_increase(ServiceCode="sagemaker", QuotaCode="${m5Training.code}", DesiredValue=30)
out["status"] = r["RequestedQuota"]["Status"]
out["value"] = sq.get_service_quota(ServiceCode="sagemaker", QuotaCode="${m5Training.code}")["Quota"]["Value"]
try:
    sq.get_requested_service_quota_change(RequestId="doesnotexist")
except botocore.exceptions.ClientError as e:
    out["missing"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    expect(JSON.parse(stdout)).toEqual({
      count: t.all.length,
      defaults: t.all.length,
      agg: 'Total number of instances allowed across all endpoints',
      status: 'APPROVED',
      value: 30,
      missing: 'NoSuchResourceException',
    });
  });
});

describe('RequestServiceQuotaIncrease by a non-admin', () => {
  it('is refused with AccessDeniedException and changes nothing', async () => {
    const code = t.perType('hosting', 'ml.p3.2xlarge')!.code;
    const ctx = {
      platform: server.platform,
      requestId: 'r',
      principal: { arn: 'arn:aws:iam::000000000000:user/alice', accountId: '000000000000', userId: 'AIDAALICE', accessKeyId: 'AKIAALICE', isAdmin: false },
      log: server.platform.log,
      signal: new AbortController().signal,
    } satisfies RequestContext;
    const handler = serviceQuotasService.handlers.RequestServiceQuotaIncrease!;
    await expect(handler({ ServiceCode: 'sagemaker', QuotaCode: code, DesiredValue: 4 }, ctx)).rejects.toMatchObject({ code: 'AccessDeniedException' });
    const get = serviceQuotasService.handlers.GetServiceQuota!;
    expect((await get({ ServiceCode: 'sagemaker', QuotaCode: code }, ctx)).Quota.Value).toBe(0);
  });
});
