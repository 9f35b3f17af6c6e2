import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateTrainingJobCommand, DescribeTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** PostgreSQL's text cannot hold U+0000: values a client may send with one are stored and read back exactly, never a 500. */
describe('U+0000 through the API on PostgreSQL', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.url, controllers: false });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('keeps it in a training job\'s hyperparameters and environment', async () => {
    expect(server.app.platform.store.dialect).toBe('postgres');
    const sm = new SageMakerClient(server.clientConfig);
    await sm.send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'nul-job',
        RoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
        AlgorithmSpecification: { TrainingImage: '123456789012.dkr.ecr.us-east-1.amazonaws.com/algo:latest', TrainingInputMode: 'File' },
        HyperParameters: { sep: 'a\u0000b', esc: '\u0001\u0002', literal: '\\u0000' },
        Environment: { NUL: '\u0000' },
        OutputDataConfig: { S3OutputPath: 's3://out' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 10 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: 'nul-job' }));
    expect(d.HyperParameters).toEqual({ sep: 'a\u0000b', esc: '\u0001\u0002', literal: '\\u0000' });
    expect(d.Environment).toEqual({ NUL: '\u0000' });
  });

  it('keeps it in a log message and in a metric dimension', async () => {
    const logs = new CloudWatchLogsClient(server.clientConfig);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/nul/group' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: '/nul/group', logStreamName: 'stream\u0000' }));
    await logs.send(
      new PutLogEventsCommand({ logGroupName: '/nul/group', logStreamName: 'stream\u0000', logEvents: [{ timestamp: Date.now(), message: 'before\u0000after' }] }),
    );
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: '/nul/group', logStreamName: 'stream\u0000', startFromHead: true }));
    expect(got.events?.map((e) => e.message)).toEqual(['before\u0000after']);

    const cw = new CloudWatchClient(server.clientConfig);
    await cw.send(new PutMetricDataCommand({ Namespace: 'Nul/Test', MetricData: [{ MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a\u0000' }], Value: 1 }] }));
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Nul/Test' }))).Metrics).toEqual([
      { Namespace: 'Nul/Test', MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a\u0000' }] },
    ]);
  });

  it('keeps it through boto3 too', async () => {
    const script = `
import json, time, boto3
logs = boto3.client("logs")
logs.create_log_group(logGroupName="/nul/boto3")
logs.create_log_stream(logGroupName="/nul/boto3", logStreamName="s")
logs.put_log_events(logGroupName="/nul/boto3", logStreamName="s", logEvents=[{"timestamp": int(time.time() * 1000), "message": "x\\x00y\\x01z"}])
got = logs.get_log_events(logGroupName="/nul/boto3", logStreamName="s", startFromHead=True)["events"]
print(json.dumps([e["message"] for e in got]))
`;
    const { stdout } = await promisify(execFile)('python3', ['-c', script], { env: server.env });
    expect(JSON.parse(stdout)).toEqual(['x\u0000y\u0001z']);
  });
});
