import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { SageMakerClient, ListTrainingJobsCommand } from '@aws-sdk/client-sagemaker';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** The whole server on PostgreSQL (--database postgres://…), restarted over the same database. */
describe('Clary on PostgreSQL', () => {
  let db: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    db = await createTestDatabase();
    server = await startTestServer({ database: db.url });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('serves the control plane and keeps its state across a restart', async () => {
    expect(server.app.platform.store.dialect).toBe('postgres');
    const logs = new CloudWatchLogsClient(server.clientConfig);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/pg/group' }));
    const s3 = new S3Client(server.clientConfig);
    await s3.send(new CreateBucketCommand({ Bucket: 'pg-bucket' }));
    await s3.send(new PutObjectCommand({ Bucket: 'pg-bucket', Key: 'a.txt', Body: 'hello' }));
    expect((await new SageMakerClient(server.clientConfig).send(new ListTrainingJobsCommand({}))).TrainingJobSummaries).toEqual([]);

    const { dataDir, credentials } = server;
    await server.app.close();
    server = await startTestServer({ database: db.url, dataDir });
    expect(server.credentials).toEqual(credentials);
    const again = new CloudWatchLogsClient(server.clientConfig);
    expect((await again.send(new DescribeLogGroupsCommand({}))).logGroups?.map((g) => g.logGroupName)).toEqual(['/pg/group']);
    const got = await new S3Client(server.clientConfig).send(new GetObjectCommand({ Bucket: 'pg-bucket', Key: 'a.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
  });
});
