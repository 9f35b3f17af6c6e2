import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  ResourceNotFoundException,
  ResourceAlreadyExistsException,
} from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient, ListTrainingJobsCommand, ListPipelinesCommand } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient, InvokeEndpointCommand } from '@aws-sdk/client-sagemaker-runtime';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('STS', () => {
  it('GetCallerIdentity names the admin of the configured account', async () => {
    const sts = new STSClient(server.clientConfig);
    const id = await sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('000000000000');
    expect(id.Arn).toBe('arn:aws:iam::000000000000:root');
    expect(id.UserId).toBe('000000000000');
  });

  it('an unknown access key is refused with InvalidClientTokenId', async () => {
    const sts = new STSClient({ ...server.clientConfig, credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x'.repeat(40) } });
    await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
  });
});

describe('SageMaker', () => {
  const sm = () => new SageMakerClient(server.clientConfig);

  it('ListTrainingJobs on a new Clary is an empty list', async () => {
    const out = await sm().send(new ListTrainingJobsCommand({}));
    expect(out.TrainingJobSummaries).toEqual([]);
    expect(out.NextToken).toBeUndefined();
  });

  it('answers constraint violations with a ValidationException in AWS form', async () => {
    await expect(sm().send(new ListTrainingJobsCommand({ MaxResults: 1000 }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/^1 validation error detected: Value '1000' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100/),
    });
  });

  it('an operation Clary does not implement says so', async () => {
    await expect(sm().send(new ListPipelinesCommand({}))).rejects.toMatchObject({
      message: expect.stringContaining('not implemented by Clary'),
    });
  });

  it('a wrong secret is refused with InvalidSignatureException', async () => {
    const bad = new SageMakerClient({ ...server.clientConfig, credentials: { ...server.credentials, secretAccessKey: 'wrong'.repeat(8) } });
    await expect(bad.send(new ListTrainingJobsCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
  });
});

describe('SageMaker Runtime routing', () => {
  it('InvokeEndpoint on an unknown endpoint is a ValidationError naming it', async () => {
    const rt = new SageMakerRuntimeClient(server.clientConfig);
    await expect(rt.send(new InvokeEndpointCommand({ EndpointName: 'nope', Body: Buffer.from('1,2'), ContentType: 'text/csv' }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: 'Endpoint nope of account 000000000000 not found.',
      $metadata: { httpStatusCode: 400 },
    });
  });
});

describe('CloudWatch Logs', () => {
  const logs = () => new CloudWatchLogsClient(server.clientConfig);
  const group = '/aws/sagemaker/TrainingJobs';

  it('stores events and reads them back every way the read side offers', async () => {
    const c = logs();
    await c.send(new CreateLogGroupCommand({ logGroupName: group }));
    await expect(c.send(new CreateLogGroupCommand({ logGroupName: group }))).rejects.toBeInstanceOf(ResourceAlreadyExistsException);
    await c.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'job-a/algo-1-1' }));
    await c.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'job-b/algo-1-1' }));
    const t = Date.now();
    await c.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'job-a/algo-1-1',
        logEvents: Array.from({ length: 25 }, (_, i) => ({ timestamp: t + i, message: `epoch ${i} loss=${(1 / (i + 1)).toFixed(3)}` })),
      }),
    );
    await c.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'job-b/algo-1-1', logEvents: [{ timestamp: t, message: 'hello from b' }] }));

    const groups = await c.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/aws/sagemaker/' }));
    expect(groups.logGroups?.map((g) => g.logGroupName)).toEqual([group]);

    const streams = await c.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'job-a' }));
    expect(streams.logStreams?.map((s) => s.logStreamName)).toEqual(['job-a/algo-1-1']);
    expect(streams.logStreams?.[0]?.lastEventTimestamp).toBe(t + 24);

    // Forward paging from the head, 10 at a time, until the token stops changing (how clients tail).
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'job-a/algo-1-1', startFromHead: true, limit: 10, nextToken: token }));
      seen.push(...(page.events ?? []).map((e) => e.message!));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(seen).toHaveLength(25);
    expect(seen[0]).toBe('epoch 0 loss=1.000');
    expect(seen[24]).toBe('epoch 24 loss=0.040');

    // Without a token and not from the head: the newest events, oldest first.
    const tail = await c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'job-a/algo-1-1', limit: 3 }));
    expect(tail.events?.map((e) => e.message)).toEqual(['epoch 22 loss=0.043', 'epoch 23 loss=0.042', 'epoch 24 loss=0.040']);

    const filtered = await c.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '"epoch 1"' }));
    expect(filtered.events?.map((e) => e.message)).toEqual(Array.from({ length: 11 }, (_, i) => (i === 0 ? 1 : 9 + i)).map((n) => expect.stringContaining(`epoch ${n} `)));
    const b = await c.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['job-b/algo-1-1'] }));
    expect(b.events?.map((e) => [e.logStreamName, e.message])).toEqual([['job-b/algo-1-1', 'hello from b']]);
  });

  it('reports events too old or too far ahead instead of storing them', async () => {
    const c = logs();
    await c.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'range' }));
    const now = Date.now();
    const out = await c.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'range',
        logEvents: [
          { timestamp: 783, message: 'from 1970' },
          { timestamp: now, message: 'now' },
          { timestamp: 9_007_199_254_740_991, message: 'far future' },
        ],
      }),
    );
    expect(out.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 2 });
    const got = await c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'range', startFromHead: true }));
    expect(got.events?.map((e) => e.message)).toEqual(['now']);
  });

  it('missing groups and streams are ResourceNotFoundException', async () => {
    const c = logs();
    await expect(c.send(new DescribeLogStreamsCommand({ logGroupName: '/nope' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
    await expect(c.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'job-a/algo-1-1', nextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });
});
