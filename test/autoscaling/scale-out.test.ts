import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationAutoScalingClient, DescribeScalingActivitiesCommand, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { TestServer } from '../support/server.js';
import { deployEndpoint, startAutoscalingServer, variantKey } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startAutoscalingServer();
  await deployEndpoint(server, 'hot');
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/**
 * End to end: traffic through InvokeEndpoint becomes AWS/SageMaker metrics, the autoscaler's
 * target-tracking policy on SageMakerVariantInvocationsPerInstance sees them, and the endpoint
 * scales out to a second serving instance while staying InService.
 */
describe('scale-out under load', () => {
  it('adds an instance when invocations per instance exceed the target, and says so in the activities', async () => {
    const aas = new ApplicationAutoScalingClient(server.clientConfig);
    const sm = new SageMakerClient(server.clientConfig);
    const runtime = new SageMakerRuntimeClient(server.clientConfig);
    const cw = new CloudWatchClient(server.clientConfig);
    const key = variantKey('hot');
    await aas.send(new RegisterScalableTargetCommand({ ...key, MinCapacity: 1, MaxCapacity: 2 }));
    await aas.send(
      new PutScalingPolicyCommand({
        ...key,
        PolicyName: 'invocations',
        PolicyType: 'TargetTrackingScaling',
        // 60 invocations per instance per minute: the load below is far above it.
        TargetTrackingScalingPolicyConfiguration: { TargetValue: 60, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' }, ScaleOutCooldown: 600 },
      }),
    );
    const started = new Date();
    let stop = false;
    let ok = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (!stop) {
        try {
          const out = await runtime.send(new InvokeEndpointCommand({ EndpointName: 'hot', ContentType: 'text/csv', Body: new TextEncoder().encode('2') }));
          if (new TextDecoder().decode(out.Body) === '7.000') ok++;
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const workers = [worker(), worker()];
    const deadline = Date.now() + 90_000;
    let described;
    try {
      for (;;) {
        described = await sm.send(new DescribeEndpointCommand({ EndpointName: 'hot' }));
        const v = described.ProductionVariants?.[0];
        if ((v?.CurrentInstanceCount ?? 0) >= 2 || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    expect(described!.EndpointStatus).toBe('InService');
    expect(described!.ProductionVariants![0]).toMatchObject({ VariantName: 'AllTraffic', CurrentInstanceCount: 2, DesiredInstanceCount: 2 });

    const { ScalingActivities } = await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: key.ResourceId }));
    expect(ScalingActivities).toHaveLength(1); // MaxCapacity 2 and a long cooldown: one scale-out
    expect(ScalingActivities![0]).toMatchObject({
      ...key,
      Description: 'Setting desired instance count to 2.',
      StatusCode: 'Successful',
      Cause: expect.stringMatching(/^target tracking policy invocations: the metric was [\d.]+ against a target of 60 with 1 instance \(scale out\)$/),
    });

    // The traffic is in CloudWatch as SageMaker publishes it.
    const stats = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/SageMaker',
        MetricName: 'Invocations',
        Dimensions: [{ Name: 'EndpointName', Value: 'hot' }, { Name: 'VariantName', Value: 'AllTraffic' }],
        StartTime: new Date(started.getTime() - 60_000),
        EndTime: new Date(Date.now() + 60_000),
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    const total = (stats.Datapoints ?? []).reduce((n, d) => n + (d.Sum ?? 0), 0);
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(ok + failures.length);
  }, 150_000);
});
