import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApplicationAutoScalingClient,
  DeleteScalingPolicyCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScalingActivitiesCommand,
  DescribeScalingPoliciesCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { TestServer } from '../support/server.js';
import { deployEndpoint, startAutoscalingServer, variantKey } from './support.js';

let server: TestServer;
let aas: ApplicationAutoScalingClient;
beforeAll(async () => {
  // Slow autoscaler: this file checks the API, not scaling.
  server = await startAutoscalingServer({ autoscalerIntervalMs: 3_600_000 });
  aas = new ApplicationAutoScalingClient(server.clientConfig);
  await deployEndpoint(server, 'aas-api');
}, 120_000);
afterAll(async () => {
  aas?.destroy();
  await server?.close();
});

const key = variantKey('aas-api');
const tracking = (target: number, extra: object = {}) => ({
  TargetValue: target,
  PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' as const },
  ...extra,
});
const failure = async (p: Promise<unknown>) => {
  const e = (await p.then(() => undefined, (x: unknown) => x)) as { name: string; message: string; $metadata: { httpStatusCode: number } } | undefined;
  expect(e, 'expected the call to fail').toBeDefined();
  return [e!.name, e!.message, e!.$metadata.httpStatusCode] as const;
};

describe('Application Auto Scaling through @aws-sdk/client-application-auto-scaling', () => {
  it('registers, updates, describes and deregisters a variant as a scalable target', async () => {
    const { ScalableTargetARN } = await aas.send(new RegisterScalableTargetCommand({ ...key, MinCapacity: 1, MaxCapacity: 3 }));
    expect(ScalableTargetARN).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\/[0-9a-f]{32}$/);
    // Registering again updates only what is given.
    expect((await aas.send(new RegisterScalableTargetCommand({ ...key, MaxCapacity: 4 }))).ScalableTargetARN).toBe(ScalableTargetARN);
    const { ScalableTargets } = await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: [key.ResourceId] }));
    expect(ScalableTargets).toEqual([
      {
        ...key,
        MinCapacity: 1,
        MaxCapacity: 4,
        RoleARN: expect.stringMatching(/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint$/),
        CreationTime: expect.any(Date),
        ScalableTargetARN,
        SuspendedState: { DynamicScalingInSuspended: false, DynamicScalingOutSuspended: false, ScheduledScalingSuspended: false },
      },
    ]);
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', ResourceIds: ['endpoint/other/variant/x'] }))).ScalableTargets).toEqual([]);
    await aas.send(new DeregisterScalableTargetCommand(key));
    expect((await aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker' }))).ScalableTargets).toEqual([]);
    expect(await failure(aas.send(new DeregisterScalableTargetCommand(key)))).toEqual([
      'ObjectNotFoundException',
      `No scalable target registered for service namespace: sagemaker, resource ID: ${key.ResourceId}, scalable dimension: sagemaker:variant:DesiredInstanceCount`,
      400,
    ]);
  });

  it('puts, updates, describes and deletes a target-tracking policy', async () => {
    await aas.send(new RegisterScalableTargetCommand({ ...key, MinCapacity: 1, MaxCapacity: 2 }));
    const put = await aas.send(
      new PutScalingPolicyCommand({ ...key, PolicyName: 'ipi', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: tracking(70, { ScaleInCooldown: 600, ScaleOutCooldown: 60 }) }),
    );
    expect(put.PolicyARN).toMatch(/^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:resource\/sagemaker\/endpoint\/aas-api\/variant\/AllTraffic:policyName\/ipi$/);
    expect(put.Alarms).toEqual([]);
    const again = await aas.send(new PutScalingPolicyCommand({ ...key, PolicyName: 'ipi', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: tracking(50, { DisableScaleIn: true }) }));
    expect(again.PolicyARN).toBe(put.PolicyARN);
    await aas.send(
      new PutScalingPolicyCommand({
        ...key,
        PolicyName: 'latency',
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: 200_000,
          CustomizedMetricSpecification: { Namespace: 'AWS/SageMaker', MetricName: 'ModelLatency', Statistic: 'Average', Unit: 'Microseconds', Dimensions: [{ Name: 'EndpointName', Value: 'aas-api' }, { Name: 'VariantName', Value: 'AllTraffic' }] },
        },
      }),
    );
    const { ScalingPolicies } = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', ResourceId: key.ResourceId }));
    expect(ScalingPolicies!.map((p) => p.PolicyName)).toEqual(['ipi', 'latency']);
    expect(ScalingPolicies![0]).toEqual({
      PolicyARN: put.PolicyARN,
      PolicyName: 'ipi',
      ...key,
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: tracking(50, { DisableScaleIn: true }),
      Alarms: [],
      CreationTime: expect.any(Date),
    });
    const page1 = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', MaxResults: 1 }));
    const page2 = await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', MaxResults: 1, NextToken: page1.NextToken }));
    expect([page1.ScalingPolicies![0]!.PolicyName, page2.ScalingPolicies![0]!.PolicyName, page2.NextToken]).toEqual(['ipi', 'latency', undefined]);
    expect((await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker', PolicyNames: ['latency'] }))).ScalingPolicies).toHaveLength(1);

    await aas.send(new DeleteScalingPolicyCommand({ ...key, PolicyName: 'latency' }));
    expect(await failure(aas.send(new DeleteScalingPolicyCommand({ ...key, PolicyName: 'latency' })))).toEqual(['ObjectNotFoundException', expect.stringContaining('No scaling policy found'), 400]);
    // Deregistering the target removes its policies.
    await aas.send(new DeregisterScalableTargetCommand(key));
    expect((await aas.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'sagemaker' }))).ScalingPolicies).toEqual([]);
    expect((await aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', ResourceId: key.ResourceId }))).ScalingActivities).toEqual([]);
  });

  it('answers what it cannot do with ValidationException or ObjectNotFoundException, as the service does', async () => {
    const cases: [() => Promise<unknown>, string, RegExp][] = [
      [() => aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'ecs', ResourceId: 'service/default/web', ScalableDimension: 'ecs:service:DesiredCount', MinCapacity: 1, MaxCapacity: 2 })), 'ValidationException', /Unsupported service namespace, resource type or scaling dimension/],
      [() => aas.send(new RegisterScalableTargetCommand({ ...key, ScalableDimension: 'sagemaker:inference-component:DesiredCopyCount', MinCapacity: 1, MaxCapacity: 2 })), 'ValidationException', /Unsupported service namespace/],
      [() => aas.send(new RegisterScalableTargetCommand({ ...key, ResourceId: 'endpoint/aas-api', MinCapacity: 1, MaxCapacity: 2 })), 'ValidationException', /endpoint\/<endpoint-name>\/variant\/<variant-name>/],
      [() => aas.send(new RegisterScalableTargetCommand({ ...key, MinCapacity: 3, MaxCapacity: 2 })), 'ValidationException', /Minimum capacity cannot be greater than maximum capacity/],
      [() => aas.send(new RegisterScalableTargetCommand({ ...key })), 'ValidationException', /MinCapacity and MaxCapacity are required/],
      [() => aas.send(new RegisterScalableTargetCommand({ ...variantKey('no-such-endpoint'), MinCapacity: 1, MaxCapacity: 2 })), 'ValidationException', /does not exist/],
      [() => aas.send(new PutScalingPolicyCommand({ ...key, PolicyName: 'p', PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: tracking(10) })), 'ObjectNotFoundException', /No scalable target registered/],
      [() => aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'dynamodb' })), 'ValidationException', /Unsupported service namespace/],
      [() => aas.send(new DescribeScalingActivitiesCommand({ ServiceNamespace: 'sagemaker', NextToken: 'garbage' })), 'InvalidNextTokenException', /NextToken/],
      [() => aas.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'sagemaker', NextToken: 'garbage' })), 'InvalidNextTokenException', /NextToken/],
    ];
    for (const [call, code, message] of cases) expect(await failure(call()), message.source).toEqual([code, expect.stringMatching(message), 400]);

    await aas.send(new RegisterScalableTargetCommand({ ...key, MinCapacity: 1, MaxCapacity: 2 }));
    const policyCases: [object, RegExp][] = [
      [{ PolicyType: 'StepScaling', StepScalingPolicyConfiguration: { AdjustmentType: 'ChangeInCapacity', StepAdjustments: [{ ScalingAdjustment: 1, MetricIntervalLowerBound: 0 }] } }, /does not support StepScaling/],
      [{}, /does not support StepScaling/], // StepScaling is the default type
      [{ PolicyType: 'TargetTrackingScaling' }, /TargetTrackingScalingPolicyConfiguration is required/],
      [{ PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 10 } }, /Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification/],
      [{ PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 10, PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' } } }, /Unsupported predefined metric type/],
      [{ PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 0, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' } } }, /TargetValue must be between/],
      [{ PolicyType: 'TargetTrackingScaling', TargetTrackingScalingPolicyConfiguration: { TargetValue: 5, CustomizedMetricSpecification: { Metrics: [{ Id: 'e', Expression: 'a+b' }] } } }, /metric math/],
    ];
    for (const [extra, message] of policyCases) {
      expect(await failure(aas.send(new PutScalingPolicyCommand({ ...key, PolicyName: 'bad', ...extra } as never))), message.source).toEqual(['ValidationException', expect.stringMatching(message), 400]);
    }
    await aas.send(new DeregisterScalableTargetCommand(key));
  });
});
