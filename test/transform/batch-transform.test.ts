import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText } from '../training/support.js';
import { createSklearnModel, getText, listKeys, sklearnBatchModel, startTransform, transformRequest, waitForTransform } from './support.js';

let server: TestServer;
const B = 'batch';

beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, B);
  const model = await sklearnBatchModel(server, B, 'model');
  await createSklearnModel(server, 'lin', model, { TEST_TAG_BATCH: '1' });
  await createSklearnModel(server, 'lin-plain', model);
  // Two objects under the prefix, one in a "subdirectory": x = 0..5 and 10..12.
  await putText(server, B, 'in/part-a.csv', '0\n1\n2\n3\n4\n5\n');
  await putText(server, B, 'in/sub/part-b.csv', '10\n11\n12');
  await putText(server, B, 'joined/rows.csv', 'id-a,1\nid-b,2\nid-c,7\n');
  await putText(server, B, 'bad/rows.csv', '1\nboom\n3\n');
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('batch transform of a scikit-learn model over S3', () => {
  it('SplitType Line + MultiRecord + AssembleWith Line: one prediction per input line, in order, per object', async () => {
    const arn = await startTransform(server, transformRequest('tf-multi', 'lin', B, 'in/', 'out-multi', { BatchStrategy: 'MultiRecord', Environment: { EXTRA: '1' }, Tags: [{ Key: 'team', Value: 'ml' }] }));
    expect(arn).toBe('arn:aws:sagemaker:us-east-1:000000000000:transform-job/tf-multi');
    const d = await waitForTransform(server, 'tf-multi');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TransformJobStatus).toBe('Completed');
    expect(d).toMatchObject({
      ModelName: 'lin',
      BatchStrategy: 'MultiRecord',
      Environment: { EXTRA: '1' },
      TransformInput: { ContentType: 'text/csv', SplitType: 'Line', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${B}/in/` } } },
      TransformOutput: { S3OutputPath: `s3://${B}/out-multi`, AssembleWith: 'Line', Accept: 'text/csv' },
      TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 1 },
    });
    expect(d.TransformStartTime!.getTime()).toBeGreaterThanOrEqual(d.CreationTime!.getTime());
    expect(d.TransformEndTime!.getTime()).toBeGreaterThanOrEqual(d.TransformStartTime!.getTime());

    expect(await listKeys(server, B, 'out-multi/')).toEqual(['out-multi/part-a.csv.out', 'out-multi/sub/part-b.csv.out']);
    // Each object fits in one request: every record says it came with all of its object's records.
    expect(await getText(server, B, 'out-multi/part-a.csv.out')).toBe(['1.0', '4.0', '7.0', '10.0', '13.0', '16.0'].map((p) => `${p};n=6\n`).join(''));
    expect(await getText(server, B, 'out-multi/sub/part-b.csv.out')).toBe(['31.0', '34.0', '37.0'].map((p) => `${p};n=3\n`).join(''));

    const logs = new CloudWatchLogsClient(server.clientConfig);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/TransformJobs', logStreamNamePrefix: 'tf-multi/' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual([expect.stringMatching(/^tf-multi\/i-[0-9a-f]{16}$/)]);
  });

  it('InstanceCount 2: the objects are split across two model servers, each logging to its own stream', async () => {
    await startTransform(server, transformRequest('tf-two', 'lin-plain', B, 'in/', 'out-two', { TransformResources: { InstanceType: 'ml.m5.large', InstanceCount: 2 } }));
    const d = await waitForTransform(server, 'tf-two');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TransformJobStatus).toBe('Completed');
    expect(await getText(server, B, 'out-two/part-a.csv.out')).toBe('1.0\n4.0\n7.0\n10.0\n13.0\n16.0\n');
    expect(await getText(server, B, 'out-two/sub/part-b.csv.out')).toBe('31.0\n34.0\n37.0\n');
    const logs = new CloudWatchLogsClient(server.clientConfig);
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/sagemaker/TransformJobs', logStreamNamePrefix: 'tf-two/' }))).logStreams!.map((s) => s.logStreamName!);
    expect(streams).toHaveLength(2);
    const handled = await Promise.all(streams.map(async (stream) => {
      const events = await logs.send(new GetLogEventsCommand({ logGroupName: '/aws/sagemaker/TransformJobs', logStreamName: stream, startFromHead: true }));
      return (events.events ?? []).map((e) => e.message!).filter((m) => m.startsWith('Transforming '));
    }));
    expect(handled.map((h) => h.length)).toEqual([1, 1]);
    expect(handled.flat().sort()).toEqual([`Transforming s3://${B}/in/part-a.csv`, `Transforming s3://${B}/in/sub/part-b.csv`]);
  });

  it('SingleRecord with MaxConcurrentTransforms 3: one record per request, still in order; gzip input', async () => {
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: B, Key: 'gz/x.csv.gz', Body: gzipSync('2\n3\n4\n5\n') }));
    await startTransform(server, transformRequest('tf-single', 'lin', B, 'gz/', 'out-single/', {
      BatchStrategy: 'SingleRecord', MaxConcurrentTransforms: 3, MaxPayloadInMB: 1,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${B}/gz/` } }, ContentType: 'text/csv', SplitType: 'Line', CompressionType: 'Gzip' },
    }));
    const d = await waitForTransform(server, 'tf-single');
    expect(d.FailureReason).toBeUndefined();
    expect(d).toMatchObject({ TransformJobStatus: 'Completed', MaxConcurrentTransforms: 3, MaxPayloadInMB: 1, BatchStrategy: 'SingleRecord' });
    expect(await getText(server, B, 'out-single/x.csv.gz.out')).toBe('7.0;n=1\n10.0;n=1\n13.0;n=1\n16.0;n=1\n');
  });

  it('JoinSource Input with InputFilter and OutputFilter: the id travels with its prediction', async () => {
    await startTransform(server, transformRequest('tf-join', 'lin-plain', B, 'joined/', 'out-join', { DataProcessing: { InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' } }));
    const d = await waitForTransform(server, 'tf-join');
    expect(d.FailureReason).toBeUndefined();
    expect(d.DataProcessing).toEqual({ InputFilter: '$[1:]', JoinSource: 'Input', OutputFilter: '$[0,-1]' });
    expect(await getText(server, B, 'out-join/rows.csv.out')).toBe('id-a,4.0\nid-b,7.0\nid-c,22.0\n');
  });

  it('a record the model rejects fails the job with the object and the model message', async () => {
    await startTransform(server, transformRequest('tf-boom', 'lin-plain', B, 'bad/', 'out-bad', { BatchStrategy: 'SingleRecord' }));
    const d = await waitForTransform(server, 'tf-boom');
    expect(d.TransformJobStatus).toBe('Failed');
    expect(d.FailureReason).toContain(`s3://${B}/bad/rows.csv`);
    expect(d.FailureReason).toContain('boom: this input is not a number');
    expect(d.TransformEndTime).toBeInstanceOf(Date);
    expect(await listKeys(server, B, 'out-bad/')).toEqual([]);
  });

  it('an input prefix with no objects fails the job with SageMaker’s reason', async () => {
    await startTransform(server, transformRequest('tf-empty', 'lin-plain', B, 'nothing-here/', 'out-empty'));
    const d = await waitForTransform(server, 'tf-empty');
    expect(d.TransformJobStatus).toBe('Failed');
    expect(d.FailureReason).toContain(`No S3 objects found under S3 URL "s3://${B}/nothing-here/"`);
  });

  it('runs a job created and awaited through boto3 (waiter), with a manifest file', async () => {
    await putText(server, B, 'manifest.json', JSON.stringify([{ prefix: `s3://${B}/in/` }, 'sub/part-b.csv']));
    const py = await promisify(execFile)('python3', ['-c', [
      'import boto3',
      'sm = boto3.client("sagemaker")',
      'sm.create_transform_job(TransformJobName="tf-boto", ModelName="lin-plain",',
      `  TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "ManifestFile", "S3Uri": "s3://${B}/manifest.json"}}, "ContentType": "text/csv", "SplitType": "Line"},`,
      `  TransformOutput={"S3OutputPath": "s3://${B}/out-boto", "AssembleWith": "Line"},`,
      '  TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})',
      'sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName="tf-boto", WaiterConfig={"Delay": 1, "MaxAttempts": 120})',
      'd = sm.describe_transform_job(TransformJobName="tf-boto")',
      'print(d["TransformJobStatus"])',
    ].join('\n')], { env: server.env, encoding: 'utf8', timeout: 150_000 });
    expect(py.stdout.trim()).toBe('Completed');
    expect(await getText(server, B, 'out-boto/sub/part-b.csv.out')).toBe('31.0\n34.0\n37.0\n');
  }, 160_000);
});
