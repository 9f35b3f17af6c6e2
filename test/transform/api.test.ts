import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddTagsCommand,
  CreateModelCommand,
  DescribeTransformJobCommand,
  ListTagsCommand,
  ListTransformJobsCommand,
  SageMakerClient,
  StopTransformJobCommand,
  type TransformInstanceType,
} from '@aws-sdk/client-sagemaker';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { quotaTable, setQuotaValue } from '../../src/compute/quotas/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE } from '../training/support.js';
import { createSklearnModel, errorOf, sklearnBatchModel, startTransform, transformRequest, waitForTransform } from './support.js';

let server: TestServer;
let sm: SageMakerClient;
const B = 'tfapi';

beforeAll(async () => {
  server = await startTestServer();
  sm = new SageMakerClient(server.clientConfig);
  await createBucket(server, B);
  await putText(server, B, 'in/x.csv', '1\n2\n');
  // An image Clary maps to no runtime: its jobs fail fast, without starting a model server.
  await sm.send(new CreateModelCommand({ ModelName: 'unservable', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/mine:1' } }));
}, 60_000);
afterAll(async () => {
  await server?.close();
});

describe('CreateTransformJob, DescribeTransformJob, ListTransformJobs, StopTransformJob', () => {
  it('refuses bad input with SageMaker’s errors', async () => {
    const missing = await errorOf(startTransform(server, transformRequest('t-missing', 'no-such-model', B, 'in/', 'out')));
    expect(missing.name).toBe('ValidationException');
    expect(missing.message).toBe('Could not find model "arn:aws:sagemaker:us-east-1:000000000000:model/no-such-model".');

    const unknown = await errorOf(sm.send(new DescribeTransformJobCommand({ TransformJobName: 'nope' })));
    expect(unknown.name).toBe('ValidationException');
    expect(unknown.message).toBe('Could not find requested job with name nope');
    expect((await errorOf(sm.send(new StopTransformJobCommand({ TransformJobName: 'nope' })))).name).toBe('ValidationException');

    const tfrecord = await errorOf(startTransform(server, transformRequest('t-tfr', 'unservable', B, 'in/', 'out', { TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${B}/in/` } }, SplitType: 'TFRecord' } })));
    expect(tfrecord.name).toBe('ValidationException');
    expect(tfrecord.message).toContain('SplitType TFRecord is not supported');

    const path = await errorOf(startTransform(server, transformRequest('t-path', 'unservable', B, 'in/', 'out', { DataProcessing: { InputFilter: '$..features' } })));
    expect(path.name).toBe('ValidationException');
    expect(path.message).toContain('DataProcessing.InputFilter');

    const tType = await errorOf(startTransform(server, transformRequest('t-type', 'unservable', B, 'in/', 'out', { TransformResources: { InstanceType: 'ml.t2.medium' as TransformInstanceType, InstanceCount: 1 } })));
    expect(tType.name).toBe('ValidationException');

    const noName = await errorOf(startTransform(server, transformRequest('bad_name', 'unservable', B, 'in/', 'out')));
    expect(noName.name).toBe('ValidationException');
  });

  it('a duplicate name is ResourceInUse; a job whose model cannot be served fails with the reason', async () => {
    await startTransform(server, transformRequest('t-dup', 'unservable', B, 'in/', 'out'));
    const dup = await errorOf(startTransform(server, transformRequest('t-dup', 'unservable', B, 'in/', 'out')));
    expect(dup.name).toBe('ResourceInUse');
    expect(dup.$metadata?.httpStatusCode).toBe(400);
    const d = await waitForTransform(server, 't-dup');
    expect(d.TransformJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: image .* is not a SageMaker framework image/);
    const stop = await errorOf(sm.send(new StopTransformJobCommand({ TransformJobName: 't-dup' })));
    expect(stop.name).toBe('ValidationException');
  });

  it('the "ml.X for transform job usage" quota refuses CreateTransformJob with ResourceLimitExceeded', async () => {
    await setQuotaValue(server.app.platform.store, quotaTable().perType('transform', 'ml.c5.xlarge')!, 1, { scope: server.app.config, setBy: 'test', now: Date.now() });
    const e = await errorOf(startTransform(server, transformRequest('t-quota', 'unservable', B, 'in/', 'out', { TransformResources: { InstanceType: 'ml.c5.xlarge', InstanceCount: 2 } })));
    expect(e.name).toBe('ResourceLimitExceeded');
    expect(e.message).toContain("The account-level service limit 'ml.c5.xlarge for transform job usage' is 1 Instances, with current utilization of 0 Instances and a request delta of 2 Instances.");
  });

  it('lists with filters, sort and pagination; tags at create and with AddTags', async () => {
    for (const n of ['list-b', 'list-a', 'list-c']) await startTransform(server, transformRequest(n, 'unservable', B, 'in/', 'out', { Tags: [{ Key: 'n', Value: n }] }));
    for (const n of ['list-a', 'list-b', 'list-c']) await waitForTransform(server, n);
    const byName = await sm.send(new ListTransformJobsCommand({ NameContains: 'list-', SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2 }));
    expect(byName.TransformJobSummaries?.map((s) => s.TransformJobName)).toEqual(['list-a', 'list-b']);
    expect(byName.TransformJobSummaries?.[0]).toMatchObject({ TransformJobStatus: 'Failed', TransformJobArn: 'arn:aws:sagemaker:us-east-1:000000000000:transform-job/list-a' });
    expect(byName.TransformJobSummaries?.[0]?.FailureReason).toContain('ClientError');
    expect(byName.TransformJobSummaries?.[0]?.CreationTime).toBeInstanceOf(Date);
    const rest = await sm.send(new ListTransformJobsCommand({ NameContains: 'list-', SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 2, NextToken: byName.NextToken }));
    expect(rest.TransformJobSummaries?.map((s) => s.TransformJobName)).toEqual(['list-c']);
    expect(rest.NextToken).toBeUndefined();
    // Default order: CreationTime, Descending.
    const recent = await sm.send(new ListTransformJobsCommand({ NameContains: 'list-' }));
    expect(recent.TransformJobSummaries?.map((s) => s.TransformJobName)).toEqual(['list-c', 'list-a', 'list-b']);
    expect((await sm.send(new ListTransformJobsCommand({ NameContains: 'list-', StatusEquals: 'Completed' }))).TransformJobSummaries).toEqual([]);
    const bad = await errorOf(sm.send(new ListTransformJobsCommand({ NextToken: 'garbage' })));
    expect(bad.name).toBe('ValidationException');

    const arn = 'arn:aws:sagemaker:us-east-1:000000000000:transform-job/list-a';
    await sm.send(new AddTagsCommand({ ResourceArn: arn, Tags: [{ Key: 'more', Value: 'yes' }] }));
    const tags = await sm.send(new ListTagsCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual(expect.arrayContaining([{ Key: 'n', Value: 'list-a' }, { Key: 'more', Value: 'yes' }]));
  });

  it('StopTransformJob: Stopping → Stopped, the model server stopped', async () => {
    const model = await sklearnBatchModel(server, B, 'model');
    await createSklearnModel(server, 'slow', model, { TEST_MODEL_FN_DELAY: '120' });
    await startTransform(server, transformRequest('t-stop', 'slow', B, 'in/', 'out-stop'));
    // Give the controller time to start the server (it waits for /ping: model_fn sleeps).
    await new Promise((r) => setTimeout(r, 3000));
    await sm.send(new StopTransformJobCommand({ TransformJobName: 't-stop' }));
    const stopping = await sm.send(new DescribeTransformJobCommand({ TransformJobName: 't-stop' }));
    expect(['Stopping', 'Stopped']).toContain(stopping.TransformJobStatus);
    await sm.send(new StopTransformJobCommand({ TransformJobName: 't-stop' })).catch(() => undefined);
    const d = await waitForTransform(server, 't-stop', 60_000);
    expect(d.TransformJobStatus).toBe('Stopped');
    expect(d.TransformEndTime).toBeInstanceOf(Date);
    // The instance's sandbox is gone (the runner removes it once its processes are).
    expect(await readdir(join(server.dataDir, 'transform-runs')).catch(() => [])).toEqual([]);
  }, 90_000);
});
