import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { adminOnlyAuthorizer } from '../../core/principal.js';
import { InvocationMetrics } from '../../metrics/invocation-metrics.js';
import { MetricRecorder } from '../../metrics/metric-recorder.js';
import { createApplicationAutoScalingService } from '../../services/application-autoscaling/index.js';
import type { Platform, RequestContext } from '../../services/service.js';
import type { MetadataStore } from '../../store/metadata-store.js';
import { openSqliteStore } from '../../store/sqlite-store.js';
import { Autoscaler } from './autoscaler.js';
import type { VariantScaler } from './variant-scaler.js';

/** An endpoint fleet in memory: what the hosting controller would do with setDesiredCount. */
class FakeFleet implements VariantScaler {
  counts = new Map<string, number>([['ep/v1', 1]]);
  calls: number[] = [];
  failWith: string | undefined;
  async currentCount(e: string, v: string) {
    return this.counts.get(`${e}/${v}`);
  }
  async setDesiredCount(e: string, v: string, n: number) {
    if (this.failWith) throw new Error(this.failWith);
    this.calls.push(n);
    this.counts.set(`${e}/${v}`, n);
  }
}

const MINUTE = 60_000;
let now = 1_700_000_000_000 - (1_700_000_000_000 % MINUTE); // on a minute boundary
let store: MetadataStore;
let platform: Platform;
let fleet: FakeFleet;
let recorder: MetricRecorder;
let invocations: InvocationMetrics;
let scaler: Autoscaler;
const aas = () => createApplicationAutoScalingService({ scaler: fleet }).handlers;
const ctx = () => ({ platform, requestId: 'r', principal: undefined as never, log: platform.log, signal: new AbortController().signal }) as RequestContext;
const key = { ServiceNamespace: 'sagemaker', ResourceId: 'endpoint/ep/variant/v1', ScalableDimension: 'sagemaker:variant:DesiredInstanceCount' };

beforeEach(async () => {
  store = await openSqliteStore(':memory:');
  await store.migrate();
  platform = Object.freeze({
    config: compileConfig({ dataDir: '/nonexistent' }),
    store,
    objects: undefined as never,
    authorizer: adminOnlyAuthorizer,
    log: createLogger('silent'),
    now: () => now,
    changed: () => {},
  });
  fleet = new FakeFleet();
  recorder = new MetricRecorder({ store, now: () => now });
  invocations = new InvocationMetrics(recorder, (e, v) => fleet.counts.get(`${e}/${v}`));
  scaler = new Autoscaler({ platform, scaler: fleet });
});
afterEach(async () => {
  await scaler.close();
  await store.close();
});

/** `n` invocations spread over the minute that starts at `now`, then the clock moves past it. */
async function trafficForAMinute(n: number) {
  for (let i = 0; i < n; i++) invocations.observe('ep', 'v1', { modelLatencyMicros: 1000, overheadLatencyMicros: 10, status: 200 });
  await recorder.flush();
  now += MINUTE;
}

async function setUp(policy: Record<string, unknown> = {}, target: Record<string, unknown> = {}) {
  await aas().RegisterScalableTarget!({ ...key, MinCapacity: 1, MaxCapacity: 4, ...target }, ctx());
  await aas().PutScalingPolicy!(
    {
      ...key,
      PolicyName: 'ipi',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' }, ScaleOutCooldown: 120, ScaleInCooldown: 300, ...policy },
    },
    ctx(),
  );
}
const activities = async () =>
  ((await aas().DescribeScalingActivities!({ ServiceNamespace: 'sagemaker', ResourceId: key.ResourceId }, ctx())) as { ScalingActivities: { Description: string; Cause: string; StatusCode: string; StatusMessage: string }[] }).ScalingActivities;

describe('Autoscaler with target tracking on SageMakerVariantInvocationsPerInstance', () => {
  it('scales out by ceil(current × metric / target), records the activity, and respects the scale-out cooldown', async () => {
    await setUp();
    await trafficForAMinute(250); // 250 invocations per instance per minute against a target of 100
    await scaler.tick();
    expect(fleet.calls).toEqual([3]);
    const [a] = await activities();
    expect(a).toMatchObject({
      Description: 'Setting desired instance count to 3.',
      StatusCode: 'Successful',
      StatusMessage: 'Successfully set desired instance count to 3. Change successfully fulfilled by sagemaker.',
      Cause: expect.stringContaining('target tracking policy ipi: the metric was 250 against a target of 100 with 1 instance (scale out)'),
    });

    // Still hot a minute later (300 invocations over 3 instances = 100 each ... make it 600: 200 each), but inside the 120 s cooldown.
    await trafficForAMinute(600);
    await scaler.tick();
    expect(fleet.calls).toEqual([3]);
    // Past the cooldown: 3 × 200 / 100 = 6, clamped to MaxCapacity 4.
    now += MINUTE;
    await trafficForAMinute(600);
    await scaler.tick();
    expect(fleet.calls).toEqual([3, 4]);
    expect((await activities()).map((x) => x.Description)).toEqual(['Setting desired instance count to 4.', 'Setting desired instance count to 3.']);
  });

  it('scales in after the scale-in cooldown, never below MinCapacity, and not at all with DisableScaleIn or without data', async () => {
    await setUp({ ScaleInCooldown: 180 }, { MinCapacity: 2 });
    fleet.counts.set('ep/v1', 4);
    await scaler.tick(); // no data yet: nothing happens
    expect(fleet.calls).toEqual([]);
    await trafficForAMinute(40); // 10 per instance: wants ceil(4 × 10 / 100) = 1 → MinCapacity 2
    await scaler.tick();
    expect(fleet.calls).toEqual([2]);
    await trafficForAMinute(2); // 1 per instance, but inside the scale-in cooldown
    await scaler.tick();
    expect(fleet.calls).toEqual([2]);

    await aas().PutScalingPolicy!(
      { ...key, PolicyName: 'ipi', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 100, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' }, DisableScaleIn: true } },
      ctx(),
    );
    await aas().RegisterScalableTarget!({ ...key, MinCapacity: 1 }, ctx());
    now += 10 * MINUTE;
    await trafficForAMinute(2);
    await scaler.tick();
    expect(fleet.calls).toEqual([2]);
  });

  it('brings the count inside a changed [MinCapacity, MaxCapacity] and records a failed activity when the endpoint refuses', async () => {
    await setUp();
    await aas().RegisterScalableTarget!({ ...key, MinCapacity: 3 }, ctx());
    await scaler.tick();
    expect(fleet.calls).toEqual([3]);
    expect((await activities())[0]).toMatchObject({ Cause: 'minimum capacity was set to 3', StatusCode: 'Successful' });

    fleet.failWith = 'Cannot update in-progress endpoint';
    now += 2 * MINUTE; // past the scale-out cooldown the clamp started
    await trafficForAMinute(1000);
    await scaler.tick();
    expect(fleet.counts.get('ep/v1')).toBe(3);
    expect((await activities())[0]).toMatchObject({ StatusCode: 'Failed', StatusMessage: 'Failed to set desired instance count to 4. Reason: Cannot update in-progress endpoint' });
    // A failed attempt starts no cooldown: it is retried at the next evaluation.
    fleet.failWith = undefined;
    await scaler.tick();
    expect(fleet.counts.get('ep/v1')).toBe(4);
  });

  it('tracks a customized metric with its statistic', async () => {
    await aas().RegisterScalableTarget!({ ...key, MinCapacity: 1, MaxCapacity: 8 }, ctx());
    await aas().PutScalingPolicy!(
      {
        ...key,
        PolicyName: 'latency',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 2000,
          CustomizedMetricSpecification: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Statistic: 'Average', Dimensions: [{ Name: 'EndpointName', Value: 'ep' }, { Name: 'VariantName', Value: 'v1' }] },
        },
      },
      ctx(),
    );
    for (const us of [5000, 7000]) invocations.observe('ep', 'v1', { modelLatencyMicros: us, overheadLatencyMicros: 1, status: 200 });
    await recorder.flush();
    now += MINUTE;
    await scaler.tick();
    expect(fleet.calls).toEqual([3]); // ceil(1 × 6000 / 2000)
  });
});
