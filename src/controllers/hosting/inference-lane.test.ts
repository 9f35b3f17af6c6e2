import { describe, expect, it } from 'vitest';
import type { ContainerLane } from '../../runners/container/index.js';
import { chooseInferenceLane } from './inference-lane.js';

/** The lane choice without an engine: framework images never touch the container lane. */
describe('chooseInferenceLane', () => {
  const noEngine = {
    resolve: () => Promise.reject(new Error('engine down')),
    docker: () => Promise.reject(new Error('engine down')),
  } as unknown as ContainerLane;

  it('keeps a framework image on the process lane, saying so', async () => {
    const plan = await chooseInferenceLane({ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3' }, noEngine);
    expect(plan).toMatchObject({ ok: true, lane: 'process', description: expect.stringMatching(/^process lane: image .*sagemaker-scikit-learn.* is a SageMaker framework image/) });
  });

  it('refuses a framework training image as before (not the container lane)', async () => {
    const plan = await chooseInferenceLane({ Image: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1' }, noEngine);
    expect(plan.ok ? plan.lane : 'process').toBe('process');
  });

  it('sends any other image to the container lane, and says why it cannot run there', async () => {
    const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/my-server:1';
    expect(await chooseInferenceLane({ Image: image }, undefined)).toEqual({ ok: false, reason: `ClientError: image ${image} is not a SageMaker framework image, so it runs as a container, and this Clary has no container lane. See docs/containers.md.` });
    expect(await chooseInferenceLane({ Image: image }, noEngine)).toEqual({ ok: false, reason: `ClientError: image ${image} is not a SageMaker framework image, so it runs as a container, but no container engine is available: engine down` });
  });
});
