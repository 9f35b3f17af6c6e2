import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AddTagsCommand,
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
  UpdateEndpointCommand,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import { quotaTable, setQuotaValue } from '../../src/compute/quotas/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const ARN = 'arn:aws:sagemaker:us-east-1:000000000000';

let server: TestServer;
let sm: SageMakerClient;
beforeAll(async () => {
  // Controllers off: this file checks what the handlers record and answer.
  server = await startTestServer({ controllers: false });
  sm = new SageMakerClient(server.clientConfig);
});
afterAll(async () => {
  await server?.close();
});

async function error(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

const model = (name: string, extra: Record<string, unknown> = {}) =>
  new CreateModelCommand({
    ModelName: name,
    ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole',
    PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://models/m/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'inference.py' } },
    ...extra,
  });

const config = (name: string, modelName: string, extra: Record<string, unknown> = {}) =>
  new CreateEndpointConfigCommand({
    EndpointConfigName: name,
    ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: modelName, InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }],
    ...extra,
  });

describe('models', () => {
  it('create, describe, list, delete with SageMaker errors', async () => {
    const created = await sm.send(model('Model-One', { Tags: [{ Key: 'team', Value: 'ml' }] }));
    expect(created.ModelArn).toBe(`${ARN}:model/model-one`);
    const d = await sm.send(new DescribeModelCommand({ ModelName: 'Model-One' }));
    expect(d).toMatchObject({ ModelName: 'Model-One', ModelArn: created.ModelArn, EnableNetworkIsolation: false, ExecutionRoleArn: 'arn:aws:iam::000000000000:role/SageMakerRole' });
    expect(d.PrimaryContainer).toMatchObject({ Image: IMAGE, ModelDataUrl: 's3://models/m/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'inference.py' } });
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect((await sm.send(new ListTagsCommand({ ResourceArn: created.ModelArn }))).Tags).toEqual([{ Key: 'team', Value: 'ml' }]);

    expect(await error(sm.send(model('model-one')))).toMatchObject({ name: 'ValidationException', message: `Cannot create already existing model "${ARN}:model/model-one".` });
    expect(await error(sm.send(new DescribeModelCommand({ ModelName: 'nope' })))).toMatchObject({ name: 'ValidationException', message: `Could not find model "${ARN}:model/nope".` });
    const pipeline = await error(sm.send(new CreateModelCommand({ ModelName: 'pipe', Containers: [{ Image: IMAGE }, { Image: IMAGE }] })));
    expect(pipeline.name).toBe('ValidationException');
    expect(pipeline.message).toContain('Clary runs single-container models');
    expect((await error(sm.send(new CreateModelCommand({ ModelName: 'noimage', PrimaryContainer: {} })))).name).toBe('ValidationException');

    await sm.send(model('model-two', { PrimaryContainer: { Image: IMAGE, ModelDataSource: { S3DataSource: { S3Uri: 's3://models/m/', S3DataType: 'S3Prefix', CompressionType: 'None' } } } }));
    const listed = await sm.send(new ListModelsCommand({ SortBy: 'Name', SortOrder: 'Ascending' }));
    expect(listed.Models?.map((m) => m.ModelName)).toEqual(['Model-One', 'model-two']);
    const page1 = await sm.send(new ListModelsCommand({ MaxResults: 1 }));
    expect(page1.Models?.map((m) => m.ModelName)).toEqual(['model-two']); // newest first by default
    const page2 = await sm.send(new ListModelsCommand({ MaxResults: 1, NextToken: page1.NextToken }));
    expect(page2.Models?.map((m) => m.ModelName)).toEqual(['Model-One']);
    expect((await sm.send(new ListModelsCommand({ NameContains: 'two' }))).Models?.map((m) => m.ModelName)).toEqual(['model-two']);

    await sm.send(new DeleteModelCommand({ ModelName: 'model-two' }));
    expect((await error(sm.send(new DeleteModelCommand({ ModelName: 'model-two' })))).message).toBe(`Could not find model "${ARN}:model/model-two".`);
  });
});

describe('endpoint configurations', () => {
  it('create, describe, list, delete; a missing model and duplicates are refused', async () => {
    await sm.send(model('cfg-model'));
    const c = await sm.send(config('cfg-a', 'cfg-model', { DataCaptureConfig: { InitialSamplingPercentage: 50, DestinationS3Uri: 's3://capture/x', CaptureOptions: [{ CaptureMode: 'Input' }] } }));
    expect(c.EndpointConfigArn).toBe(`${ARN}:endpoint-config/cfg-a`);
    const d = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'cfg-a' }));
    expect(d.ProductionVariants).toEqual([{ VariantName: 'AllTraffic', ModelName: 'cfg-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1, InitialVariantWeight: 1 }]);
    expect(d.DataCaptureConfig).toMatchObject({ InitialSamplingPercentage: 50, DestinationS3Uri: 's3://capture/x' });
    expect(await error(sm.send(config('cfg-a', 'cfg-model')))).toMatchObject({ name: 'ValidationException', message: `Cannot create already existing endpoint configuration "${ARN}:endpoint-config/cfg-a".` });
    expect(await error(sm.send(config('cfg-b', 'ghost')))).toMatchObject({ name: 'ValidationException', message: `Could not find model "${ARN}:model/ghost".` });
    expect(await error(sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: 'ghost' })))).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint configuration "ghost".' });
    const badType = await error(sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'cfg-t', ProductionVariants: [{ VariantName: 'v', ModelName: 'cfg-model', InstanceType: 'ml.t3.medium' as never, InitialInstanceCount: 1 }] })));
    expect(badType.name).toBe('ValidationException');
    expect(badType.message).toContain("at 'productionVariants.1.member.instanceType'");
    const serverless = await error(sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'cfg-s', ProductionVariants: [{ VariantName: 'v', ModelName: 'cfg-model', ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 1 } }] })));
    expect(serverless.message).toContain('serverless endpoints are not available');
    await sm.send(config('cfg-c', 'cfg-model'));
    expect((await sm.send(new ListEndpointConfigsCommand({ NameContains: 'cfg-' }))).EndpointConfigs?.map((x) => x.EndpointConfigName)).toEqual(['cfg-c', 'cfg-a']);
    await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'cfg-c' }));
    expect((await error(sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: 'cfg-c' })))).message).toBe('Could not find endpoint configuration "cfg-c".');
  });
});

describe('endpoints', () => {
  it('CreateEndpoint records Creating with the variants; errors as SageMaker words them', async () => {
    await sm.send(model('ep-model'));
    await sm.send(config('ep-config', 'ep-model'));
    const created = await sm.send(new CreateEndpointCommand({ EndpointName: 'ep-one', EndpointConfigName: 'ep-config', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(created.EndpointArn).toBe(`${ARN}:endpoint/ep-one`);
    const d = await sm.send(new DescribeEndpointCommand({ EndpointName: 'ep-one' }));
    expect(d).toMatchObject({ EndpointName: 'ep-one', EndpointConfigName: 'ep-config', EndpointStatus: 'Creating' });
    expect(d.ProductionVariants?.[0]).toMatchObject({ VariantName: 'AllTraffic', DesiredInstanceCount: 1, DesiredWeight: 1, CurrentInstanceCount: 0, DeployedImages: [{ SpecifiedImage: IMAGE }] });
    expect(d.CreationTime).toBeInstanceOf(Date);
    expect(d.LastModifiedTime).toBeInstanceOf(Date);
    expect((d as unknown as Record<string, unknown>)._clary).toBeUndefined();
    expect(await error(sm.send(new CreateEndpointCommand({ EndpointName: 'ep-one', EndpointConfigName: 'ep-config' })))).toMatchObject({ name: 'ValidationException', message: `Cannot create already existing endpoint "${ARN}:endpoint/ep-one".` });
    expect(await error(sm.send(new CreateEndpointCommand({ EndpointName: 'ep-two', EndpointConfigName: 'ghost' })))).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint configuration "ghost".' });
    expect(await error(sm.send(new DescribeEndpointCommand({ EndpointName: 'ghost' })))).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint "ghost".' });
    expect(await error(sm.send(new DeleteEndpointCommand({ EndpointName: 'ghost' })))).toMatchObject({ name: 'ValidationException', message: 'Could not find endpoint "ghost".' });
    expect(await error(sm.send(new UpdateEndpointCommand({ EndpointName: 'ep-one', EndpointConfigName: 'ep-config' })))).toMatchObject({ name: 'ValidationException', message: `Cannot update in-progress endpoint "${ARN}:endpoint/ep-one".` });
    expect((await error(sm.send(new UpdateEndpointWeightsAndCapacitiesCommand({ EndpointName: 'ep-one', DesiredWeightsAndCapacities: [{ VariantName: 'AllTraffic', DesiredWeight: 2 }] })))).message).toBe(`Cannot update in-progress endpoint "${ARN}:endpoint/ep-one".`);
    await sm.send(new AddTagsCommand({ ResourceArn: created.EndpointArn, Tags: [{ Key: 'k2', Value: 'v2' }] }));
    expect((await sm.send(new ListTagsCommand({ ResourceArn: created.EndpointArn }))).Tags?.map((t) => t.Key).sort()).toEqual(['k', 'k2']);

    await sm.send(new CreateEndpointCommand({ EndpointName: 'ep-three', EndpointConfigName: 'ep-config' }));
    const list = await sm.send(new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 1 }));
    expect(list.Endpoints?.map((e) => e.EndpointName)).toEqual(['ep-one']);
    const next = await sm.send(new ListEndpointsCommand({ SortBy: 'Name', SortOrder: 'Ascending', MaxResults: 1, NextToken: list.NextToken }));
    expect(next.Endpoints?.map((e) => [e.EndpointName, e.EndpointStatus])).toEqual([['ep-three', 'Creating']]);
    expect((await sm.send(new ListEndpointsCommand({ StatusEquals: 'InService' }))).Endpoints).toEqual([]);

    await sm.send(new DeleteEndpointCommand({ EndpointName: 'ep-three' }));
    expect((await sm.send(new DescribeEndpointCommand({ EndpointName: 'ep-three' }))).EndpointStatus).toBe('Deleting');
  });

  it('the "ml.X for endpoint usage" quota refuses CreateEndpoint with ResourceLimitExceeded', async () => {
    await setQuotaValue(server.app.platform.store, quotaTable().perType('hosting', 'ml.c5.xlarge')!, 1, { scope: server.app.config, setBy: 'test', now: Date.now() });
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'big', ProductionVariants: [{ VariantName: 'v', ModelName: 'ep-model', InstanceType: 'ml.c5.xlarge', InitialInstanceCount: 2 }] }));
    const e = await error(sm.send(new CreateEndpointCommand({ EndpointName: 'too-big', EndpointConfigName: 'big' })));
    expect(e.name).toBe('ResourceLimitExceeded');
    expect(e.message).toContain("The account-level service limit 'ml.c5.xlarge for endpoint usage' is 1 Instances, with current utilization of 0 Instances and a request delta of 2 Instances.");
  });
});
