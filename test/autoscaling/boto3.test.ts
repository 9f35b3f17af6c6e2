import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../support/server.js';
import { deployEndpoint, startAutoscalingServer } from './support.js';

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL('./boto3_autoscaling.py', import.meta.url));

let server: TestServer;
beforeAll(async () => {
  server = await startAutoscalingServer({ autoscalerIntervalMs: 3_600_000 });
  await deployEndpoint(server, 'boto3-aas');
}, 120_000);
afterAll(async () => {
  await server?.close();
});

describe('Application Auto Scaling through boto3', () => {
  it('registers a variant, puts the SageMaker SDK-style invocation policy, describes, pages and cleans up', async () => {
    const { stdout } = await run('python3', [SCRIPT, 'boto3-aas'], { env: server.env });
    const out = JSON.parse(stdout);
    expect(out.arn).toMatch(/^arn:aws:application-autoscaling:us-east-1:000000000000:scalable-target\//);
    expect(out.targets).toEqual([['endpoint/boto3-aas/variant/AllTraffic', 1, 3, 'datetime']]);
    expect(out.policy_arn).toContain(':resource/sagemaker/endpoint/boto3-aas/variant/AllTraffic:policyName/SageMakerEndpointInvocationScalingPolicy');
    expect(out.policies).toEqual([
      [
        'SageMakerEndpointInvocationScalingPolicy',
        'TargetTrackingScaling',
        { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' }, ScaleInCooldown: 300, ScaleOutCooldown: 60 },
      ],
    ]);
    expect(out.activities).toEqual([]);
    expect(out.paginated).toBe(1);
    expect(out.errors).toEqual({ namespace: ['ValidationException', 400], step: ['ValidationException', 400], missing_target: ['ObjectNotFoundException', 400] });
    expect(out.after).toEqual([]);
  });
});
