import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand, DescribeScalingActivitiesCommand } from '@aws-sdk/client-application-auto-scaling';
import { createTestDatabase, type TestDatabase } from '../support/postgres-shared.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** CloudWatch metrics and the autoscaling API on a Clary whose store is PostgreSQL, across a restart. */
describe('CloudWatch on PostgreSQL', () => {
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

  it('stores datapoints in PostgreSQL and reads them back after a restart', async () => {
    expect(server.app.platform.store.dialect).toBe('postgres');
    const t0 = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000);
    await new CloudWatchClient(server.clientConfig).send(
      new PutMetricDataCommand({
        Namespace: 'Pg/Test',
        MetricData: [
          { MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }], Timestamp: t0, Values: [1, 3], Counts: [1, 1] },
          { MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }], Timestamp: new Date(t0.getTime() + 60_000), Value: 10 },
        ],
      }),
    );
    const { dataDir } = server;
    await server.app.close();
    server = await startTestServer({ database: db.url, dataDir, controllers: false });
    const cw = new CloudWatchClient(server.clientConfig);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Pg/Test' }))).Metrics).toEqual([{ Namespace: 'Pg/Test', MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }] }]);
    const out = await cw.send(
      new GetMetricDataCommand({
        MetricDataQueries: [{ Id: 'avg', MetricStat: { Metric: { Namespace: 'Pg/Test', MetricName: 'Load', Dimensions: [{ Name: 'Host', Value: 'a' }] }, Period: 60, Stat: 'Average' } }],
        StartTime: t0,
        EndTime: new Date(t0.getTime() + 5 * 60_000),
        ScanBy: 'TimestampAscending',
      }),
    );
    expect(out.MetricDataResults![0]).toMatchObject({ Timestamps: [t0, new Date(t0.getTime() + 60_000)], Values: [2, 10], StatusCode: 'Complete' });
    const aas = new ApplicationAutoScalingClient(server.clientConfig);
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' }))).ScalableTargets).toEqual([]);
    expect((await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker' }))).ScalingActivities).toEqual([]);
  });
});
