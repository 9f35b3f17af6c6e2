import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DeleteEndpointCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointAsyncCommand, InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';

const run = promisify(execFile);
const ARN = 'arn:aws:sagemaker:us-east-1:000000000000';

/** The error codes and messages listed in docs/errors.md, as the official clients see them. */
describe('SageMaker error wordings (docs/errors.md)', () => {
  let server: TestServer;
  beforeAll(async () => {
    // Controllers off: an endpoint stays Creating, which is what the runtime case needs.
    server = await startTestServer({ controllers: false });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('boto3 sees Studio and transform-job errors with SageMaker\'s codes, HTTP 400 and modeled exception classes', async () => {
    const script = `
import json, boto3, botocore
sm = boto3.client("sagemaker")
def err(f):
    try:
        f()
        return None
    except botocore.exceptions.ClientError as e:
        r = e.response
        return [r["Error"]["Code"], r["Error"]["Message"], r["ResponseMetadata"]["HTTPStatusCode"], type(e).__name__]
out = {}
d = sm.create_domain(DomainName="errs", AuthMode="IAM", DefaultUserSettings={"ExecutionRole": "arn:aws:iam::000000000000:role/R"}, SubnetIds=["subnet-1"], VpcId="vpc-1")["DomainId"]
out["domain"] = d
out["describe_domain"] = err(lambda: sm.describe_domain(DomainId="d-000000000000"))
out["describe_user"] = err(lambda: sm.describe_user_profile(DomainId=d, UserProfileName="nobody"))
out["describe_space"] = err(lambda: sm.describe_space(DomainId=d, SpaceName="nowhere"))
out["describe_app"] = err(lambda: sm.describe_app(DomainId=d, SpaceName="nowhere", AppType="JupyterLab", AppName="default"))
out["describe_app_no_owner"] = err(lambda: sm.describe_app(DomainId=d, AppType="JupyterLab", AppName="default"))
out["describe_transform"] = err(lambda: sm.describe_transform_job(TransformJobName="nope"))
sm.create_user_profile(DomainId=d, UserProfileName="alice")
out["delete_domain_with_user"] = err(lambda: sm.delete_domain(DomainId=d))
try:
    sm.describe_domain(DomainId="d-000000000000")
except sm.exceptions.ResourceNotFound:
    out["modeled_class"] = True
sm.delete_user_profile(DomainId=d, UserProfileName="alice")
sm.delete_domain(DomainId=d)
print(json.dumps(out))
`;
    const { stdout } = await run('python3', ['-c', script], { env: server.env });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const d = out.domain as string;
    expect(out.describe_domain).toEqual(['ResourceNotFound', `Domain [${ARN}:domain/d-000000000000] does not exist.`, 400, 'ResourceNotFound']);
    expect(out.describe_user).toEqual(['ResourceNotFound', `UserProfile [${ARN}:user-profile/${d}/nobody] does not exist.`, 400, 'ResourceNotFound']);
    expect(out.describe_space).toEqual(['ResourceNotFound', `Space [${ARN}:space/${d}/nowhere] does not exist.`, 400, 'ResourceNotFound']);
    expect(out.describe_app).toEqual(['ResourceNotFound', `App [${ARN}:app/${d}/nowhere/jupyterlab/default] does not exist.`, 400, 'ResourceNotFound']);
    expect(out.describe_app_no_owner).toEqual(['ValidationException', 'Either UserProfileName or SpaceName must be passed for DescribeApp operation.', 400, 'ClientError']);
    expect(out.describe_transform).toEqual(['ValidationException', 'Could not find requested job with name nope', 400, 'ClientError']);
    expect(out.delete_domain_with_user).toEqual(['ResourceInUse', `Unable to delete Domain [${ARN}:domain/${d}] because UserProfile(s) are associated with it.`, 400, 'ResourceInUse']);
    expect(out.modeled_class).toBe(true);
  });

  it('the runtime refuses an endpoint that is not InService, and async invocation of a real-time endpoint, with ValidationError', async () => {
    const sm = new SageMakerClient(server.clientConfig);
    const image = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
    await sm.send(new CreateModelCommand({ ModelName: 'err-model', ExecutionRoleArn: 'arn:aws:iam::000000000000:role/R', PrimaryContainer: { Image: image } }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'err-config', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'err-model', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }] }));
    await sm.send(new CreateEndpointCommand({ EndpointName: 'err-ep', EndpointConfigName: 'err-config' }));
    const runtime = new SageMakerRuntimeClient(server.clientConfig);
    const caught = async (p: Promise<unknown>) => p.then(() => { throw new Error('expected an error'); }, (e: { name: string; message: string; $metadata: { httpStatusCode?: number } }) => [e.name, e.message, e.$metadata.httpStatusCode]);
    expect(await caught(runtime.send(new InvokeEndpointCommand({ EndpointName: 'err-ep', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })))).toEqual([
      'ValidationError',
      'Endpoint err-ep of account 000000000000 is not in service: its status is Creating.',
      400,
    ]);
    expect(await caught(runtime.send(new InvokeEndpointAsyncCommand({ EndpointName: 'err-ep', InputLocation: 's3://m/in.csv' })))).toEqual([
      'ValidationError',
      'Endpoint err-ep of account 000000000000 is not in service: its status is Creating.',
      400,
    ]);
    expect(await caught(runtime.send(new InvokeEndpointCommand({ EndpointName: 'none', ContentType: 'text/csv', Body: new TextEncoder().encode('1') })))).toEqual([
      'ValidationError',
      'Endpoint none of account 000000000000 not found.',
      400,
    ]);
    await sm.send(new DeleteEndpointCommand({ EndpointName: 'err-ep' }));
  });
});
