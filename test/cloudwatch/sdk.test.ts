import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandOutput,
  GetMetricStatisticsCommand,
  InvalidParameterValueException,
  ListMetricsCommand,
  PutMetricDataCommand,
  paginateGetMetricData,
  paginateListMetrics,
} from '@aws-sdk/client-cloudwatch';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let cw: CloudWatchClient;
beforeAll(async () => {
  server = await startTestServer({ controllers: false });
  cw = new CloudWatchClient(server.clientConfig);
});
afterAll(async () => {
  cw?.destroy();
  await server?.close();
});

const minute = (n: number) => new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000 + n * 60_000);
const dims = [
  { Name: 'EndpointName', Value: 'my-endpoint' },
  { Name: 'VariantName', Value: 'AllTraffic' },
];
const error = async (p: Promise<unknown>) => {
  const e = (await p.then(() => undefined, (x: unknown) => x)) as { name: string; message: string; $metadata: { httpStatusCode: number }; Code?: string } | undefined;
  expect(e, 'expected the call to fail').toBeDefined();
  return e!;
};

/** The AWS SDK for JavaScript speaks JSON 1.0 (awsQueryCompatible) to CloudWatch. */
describe('CloudWatch through @aws-sdk/client-cloudwatch', () => {
  it('stores Value, Values/Counts and StatisticValues and answers GetMetricStatistics per period', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Sdk/Test',
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Timestamp: minute(0), Value: 10, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: [...dims].reverse(), Timestamp: new Date(minute(0).getTime() + 30_000), Values: [20, 30], Counts: [1, 3], Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims, Timestamp: minute(1), StatisticValues: { SampleCount: 4, Sum: 8, Minimum: 1, Maximum: 3 }, Unit: 'Milliseconds' },
          { MetricName: 'Latency', Dimensions: dims.slice(0, 1), Timestamp: minute(1), Value: 999, Unit: 'Milliseconds' },
        ],
      }),
    );
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Sdk/Test',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: minute(0),
        EndTime: minute(5),
        Period: 60,
        Statistics: ['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum'],
      }),
    );
    expect(out.Label).toBe('Latency');
    expect(out.Datapoints).toEqual([
      { Timestamp: minute(0), Unit: 'Milliseconds', Sum: 120, SampleCount: 5, Average: 24, Minimum: 10, Maximum: 30 },
      { Timestamp: minute(1), Unit: 'Milliseconds', Sum: 8, SampleCount: 4, Average: 2, Minimum: 1, Maximum: 3 },
    ]);
    const five = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Sdk/Test', MetricName: 'Latency', Dimensions: dims, StartTime: minute(0), EndTime: minute(5), Period: 300, Statistics: ['Sum'], Unit: 'Milliseconds' }),
    );
    expect(five.Datapoints).toEqual([{ Timestamp: minute(0), Unit: 'Milliseconds', Sum: 128 }]);
    const none = await cw.send(
      new GetMetricStatisticsCommand({ Namespace: 'Sdk/Test', MetricName: 'Latency', Dimensions: dims, StartTime: minute(0), EndTime: minute(5), Period: 60, Statistics: ['Sum'], Unit: 'Seconds' }),
    );
    expect(none.Datapoints).toEqual([]);
  });

  it('answers GetMetricData with MetricStat queries, ScanBy and NextToken pagination', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Sdk/Data',
        MetricData: Array.from({ length: 5 }, (_, i) => ({ MetricName: 'Invocations', Dimensions: dims, Timestamp: minute(i), Value: i + 1, Unit: 'Count' as const })),
      }),
    );
    const query = (id: string, stat: string) => ({ Id: id, MetricStat: { Metric: { Namespace: 'Sdk/Data', MetricName: 'Invocations', Dimensions: dims }, Period: 60, Stat: stat } });
    const one = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('sum', 'Sum')], StartTime: minute(0), EndTime: minute(10), ScanBy: 'TimestampAscending' }));
    expect(one.MetricDataResults).toEqual([
      { Id: 'sum', Label: 'Invocations', Timestamps: [0, 1, 2, 3, 4].map(minute), Values: [1, 2, 3, 4, 5], StatusCode: 'Complete', Messages: [] },
    ]);
    expect(one.NextToken).toBeUndefined();
    const desc = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query('avg', 'Average')], StartTime: minute(0), EndTime: minute(10) }));
    expect(desc.MetricDataResults![0]!.Values).toEqual([5, 4, 3, 2, 1]);

    const pages: GetMetricDataCommandOutput[] = [];
    for await (const page of paginateGetMetricData({ client: cw }, { MetricDataQueries: [query('a', 'Sum'), query('b', 'Maximum')], StartTime: minute(0), EndTime: minute(10), MaxDatapoints: 3, ScanBy: 'TimestampAscending' })) {
      pages.push(page);
    }
    expect(pages).toHaveLength(4);
    const values = (id: string) => pages.flatMap((p) => p.MetricDataResults!.filter((r) => r.Id === id).flatMap((r) => r.Values ?? []));
    expect(values('a')).toEqual([1, 2, 3, 4, 5]);
    expect(values('b')).toEqual([1, 2, 3, 4, 5]);
    expect(pages[0]!.MetricDataResults!.map((r) => r.StatusCode)).toEqual(['PartialData', 'PartialData']);
  });

  it('lists metrics with namespace, name and dimension filters, paging 500 at a time', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Sdk/List',
        MetricData: Array.from({ length: 501 }, (_, i) => ({ MetricName: i % 2 ? 'Odd' : 'Even', Dimensions: [{ Name: 'N', Value: String(i) }], Value: 1 })),
      }),
    );
    const all: unknown[] = [];
    for await (const page of paginateListMetrics({ client: cw }, { Namespace: 'Sdk/List' })) all.push(...page.Metrics!);
    expect(all).toHaveLength(501);
    const first = await cw.send(new ListMetricsCommand({ Namespace: 'Sdk/List' }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeDefined();
    const filtered = await cw.send(new ListMetricsCommand({ Namespace: 'Sdk/List', MetricName: 'Odd', Dimensions: [{ Name: 'N', Value: '7' }] }));
    expect(filtered.Metrics).toEqual([{ Namespace: 'Sdk/List', MetricName: 'Odd', Dimensions: [{ Name: 'N', Value: '7' }] }]);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Sdk/List', MetricName: 'Odd', Dimensions: [{ Name: 'N', Value: '8' }] }))).Metrics).toEqual([]);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'Sdk/List', Dimensions: [{ Name: 'N' }], RecentlyActive: 'PT3H' }))).Metrics).toHaveLength(500);
  });

  it('answers bad input with CloudWatch error codes', async () => {
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'AWS/SageMaker', MetricData: [{ MetricName: 'X', Value: 1 }] })), 'InvalidParameterValue', /AWS\/SageMaker for parameter Namespace/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'Sdk/Bad', MetricData: [{ MetricName: 'X', Value: 1, Values: [1] }] })), 'InvalidParameterCombination', /mutually exclusive/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'Sdk/Bad', MetricData: [{ MetricName: 'X' }] })), 'MissingParameter', /MetricData.member.1.Value/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'Sdk/Bad', MetricData: [{ MetricName: 'X', Values: [1, 2], Counts: [1] }] })), 'InvalidParameterValue', /same size/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'Sdk/Bad', MetricData: [{ MetricName: 'X', Value: 1, StorageResolution: 5 }] })), 'InvalidParameterValue', /StorageResolution/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: 'Sdk/Bad', MetricData: [{ MetricName: 'X', Value: 1, Timestamp: new Date(Date.now() + 3 * 3_600_000) }] })), 'InvalidParameterValue', /two hours in the future/],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: minute(1), EndTime: minute(0), Period: 60, Statistics: ['Sum'] })), 'InvalidParameterValue', /StartTime must be less than/],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: minute(0), EndTime: minute(1), Period: 60 })), 'MissingParameter', /Statistics or ExtendedStatistics/],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: minute(0), EndTime: minute(1), Period: 60, ExtendedStatistics: ['p99'] })), 'InvalidParameterCombination', /percentiles/],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: minute(0), EndTime: minute(1), Period: 45, Statistics: ['Sum'] })), 'InvalidParameterValue', /multiple of 60/],
      [() => cw.send(new GetMetricStatisticsCommand({ Namespace: 'N', MetricName: 'M', StartTime: new Date(0), EndTime: minute(0), Period: 60, Statistics: ['Sum'] })), 'InvalidParameterCombination', /exceeds the limit of 1,440/],
      [() => cw.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'e1', Expression: 'SUM(METRICS())' }], StartTime: minute(0), EndTime: minute(1) })), 'InvalidParameterValue', /metric math/],
      [() => cw.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'p99' } }], StartTime: minute(0), EndTime: minute(1) })), 'InvalidParameterValue', /percentiles/],
      [() => cw.send(new GetMetricDataCommand({ MetricDataQueries: [{ Id: 'm', MetricStat: { Metric: { Namespace: 'N', MetricName: 'M' }, Period: 60, Stat: 'Sum' } }], StartTime: minute(0), EndTime: minute(1), NextToken: 'garbage' })), 'InvalidNextToken', /NextToken/],
      [() => cw.send(new ListMetricsCommand({ NextToken: 'garbage' })), 'InvalidParameterValue', /NextToken/],
      [() => cw.send(new PutMetricDataCommand({ Namespace: '', MetricData: [{ MetricName: 'X', Value: 1 }] })), 'ValidationError', /validation error/],
    ];
    const first = await error(cases[0]![0]());
    expect(first).toBeInstanceOf(InvalidParameterValueException);
    for (const [p, code, message] of cases) {
      const e = await error(p());
      // Modeled errors surface as their shape (InvalidParameterValueException) with the query code in Code.
      expect([e.Code, e.message, e.$metadata.httpStatusCode], message.source).toEqual([code, expect.stringMatching(message), 400]);
    }
  });
});
