import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { ownerOf, type ContainerHandle } from '../../src/runners/container/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { podmanSkipReason } from '../support/busybox-image.js';
import { byoModelArchive, byoServingImage } from '../support/byo-serving-image.js';
import { createBucket, putText, ROLE, waitForJob } from '../training/support.js';
import { deploy, endpointDoc, localSklearnModel, removeAllEndpoints, removeEndpoint, SKLEARN_IMAGE, waitForEndpoint } from '../hosting/support.js';

/**
 * Endpoints whose model's image is not a SageMaker framework image run that image on the
 * container lane: `docker run IMAGE serve`, 8080 inside published on a loopback port, the model
 * archive at /opt/ml/model. End to end: a BYO training job's model.tar.gz served by the same image.
 */
const skipReason = podmanSkipReason();
const ecr = (local: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/${local}`;
let server: TestServer;
let image: string;
let modelData: string;

/** This Clary's containers, as the engine lists them. */
function containersOf(dataDir: string): string[] {
  return execFileSync('podman', ['ps', '-a', '--format', '{{.Names}}', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

async function endpointLogs(name: string): Promise<string[]> {
  const page = await new CloudWatchLogsClient(server.clientConfig).send(new FilterLogEventsCommand({ logGroupName: `/aws/sagemaker/Endpoints/${name}` }));
  return (page.events ?? []).map((e) => e.message ?? '');
}

async function invoke(name: string, body: string, variant?: string): Promise<{ text: string; variant?: string }> {
  const out = await new SageMakerRuntimeClient(server.clientConfig).send(
    new InvokeEndpointCommand({ EndpointName: name, ContentType: 'text/csv', Body: new TextEncoder().encode(body), TargetVariant: variant }),
  );
  return { text: new TextDecoder().decode(out.Body), variant: out.InvokedProductionVariant };
}

beforeAll(async () => {
  if (skipReason) return;
  image = ecr(await byoServingImage());
  server = await startTestServer();
  await createBucket(server, 'ml-data');
  await putText(server, 'ml-data', 'byo/train/data.txt', 'rows');
  // The model the endpoints serve comes from a BYO training job with the same image.
  await new SageMakerClient(server.clientConfig).send(
    new CreateTrainingJobCommand({
      TrainingJobName: 'byo-model',
      RoleArn: ROLE,
      AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
      HyperParameters: { answer: '42' },
      InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/byo/train/' } } }],
      OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
      ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
      StoppingCondition: { MaxRuntimeInSeconds: 600 },
    }),
  );
  const job = await waitForJob(server, 'byo-model', 300_000);
  if (job.TrainingJobStatus !== 'Completed') throw new Error(`training failed: ${job.FailureReason}`);
  modelData = job.ModelArtifacts!.S3ModelArtifacts!;
}, 600_000);

afterAll(async () => {
  if (!server) return;
  await removeAllEndpoints(server);
  const dataDir = server.dataDir;
  await server.close();
  // A failed test must not leave containers behind.
  const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
}, 180_000);

describe.skipIf(skipReason !== '')(`endpoints on the container lane${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('trains, deploys and invokes a BYO image (SDK and boto3); DeleteEndpoint leaves no container', async () => {
    await deploy(server, 'byo-ep', { Image: image, ModelDataUrl: modelData, Environment: { MY_SETTING: 'from-model' } });
    const d = await waitForEndpoint(server, 'byo-ep', ['InService', 'Failed'], 240_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.EndpointStatus).toBe('InService');
    expect(d.ProductionVariants?.[0]).toMatchObject({ CurrentInstanceCount: 1, DeployedImages: [{ SpecifiedImage: image }] });

    expect(await invoke('byo-ep', 'hello')).toEqual({ text: 'model=42 body=hello port=8080 env=from-model', variant: 'AllTraffic' });
    const py = await promisify(execFile)('python3', ['-c', [
      'import boto3',
      'rt = boto3.client("sagemaker-runtime")',
      'r = rt.invoke_endpoint(EndpointName="byo-ep", ContentType="text/plain", Body=b"from boto3")',
      'print(r["InvokedProductionVariant"], r["Body"].read().decode())',
    ].join('\n')], { env: server.env, encoding: 'utf8', timeout: 60_000 });
    expect(py.stdout.trim()).toBe('AllTraffic model=42 body=from boto3 port=8080 env=from-model');

    // The handle the controller recorded is the container lane's, with the published port.
    const inst = (await endpointDoc(server, 'byo-ep'))._clary.instances[0]!;
    const handle = inst.handle as ContainerHandle;
    expect(handle.runner).toBe('container');
    expect(handle.ports?.['8080']).toBe(inst.port);
    expect(containersOf(server.dataDir)).toEqual([handle.name]);
    const logs = await endpointLogs('byo-ep');
    expect(logs[0]).toMatch(/^clary: container lane: image .*byo-server.* is not a SageMaker framework image, so it runs as a container; local image .* runs serve/);
    expect(logs).toContain('serve: model 42, listening on 8080');

    await removeEndpoint(server, 'byo-ep');
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('mixes lanes: one variant on the process lane (scikit-learn), one in a container', async () => {
    const sk = await localSklearnModel(server, 'ml-data', 'mixed-sk');
    const sm = new SageMakerClient(server.clientConfig);
    const { CreateModelCommand, CreateEndpointConfigCommand, CreateEndpointCommand } = await import('@aws-sdk/client-sagemaker');
    await sm.send(new CreateModelCommand({ ModelName: 'mixed-sk', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: SKLEARN_IMAGE, ModelDataUrl: sk.modelData, Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: sk.source } } }));
    await sm.send(new CreateModelCommand({ ModelName: 'mixed-byo', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: image, ModelDataUrl: modelData } }));
    await sm.send(new CreateEndpointConfigCommand({
      EndpointConfigName: 'mixed',
      ProductionVariants: [
        { VariantName: 'Sklearn', ModelName: 'mixed-sk', InstanceType: 'ml.t2.medium', InitialInstanceCount: 1, InitialVariantWeight: 1 },
        { VariantName: 'Byo', ModelName: 'mixed-byo', InstanceType: 'ml.t2.medium', InitialInstanceCount: 1, InitialVariantWeight: 1 },
      ],
    }));
    await sm.send(new CreateEndpointCommand({ EndpointName: 'mixed', EndpointConfigName: 'mixed' }));
    const d = await waitForEndpoint(server, 'mixed', ['InService', 'Failed'], 240_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.EndpointStatus).toBe('InService');
    expect(await invoke('mixed', '2', 'Sklearn')).toEqual({ text: '7.000', variant: 'Sklearn' });
    expect(await invoke('mixed', '2', 'Byo')).toEqual({ text: 'model=42 body=2 port=8080 env=', variant: 'Byo' });
    const runners = (await endpointDoc(server, 'mixed'))._clary.instances.map((i) => `${i.variant}:${i.handle?.runner}`).sort();
    expect(runners).toEqual(['Byo:container', 'Sklearn:process']);
    await removeEndpoint(server, 'mixed');
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('UpdateEndpoint moves traffic to a new container fleet, then removes the old containers', async () => {
    await deploy(server, 'byo-update', { Image: image, ModelDataUrl: modelData });
    expect((await waitForEndpoint(server, 'byo-update', ['InService', 'Failed'], 240_000)).EndpointStatus).toBe('InService');
    const before = containersOf(server.dataDir);
    const { PutObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
    await new S3Client(server.clientConfig).send(new PutObjectCommand({ Bucket: 'ml-data', Key: 'byo-v2/model.tar.gz', Body: await byoModelArchive('43') }));
    const sm = new SageMakerClient(server.clientConfig);
    const { CreateModelCommand, CreateEndpointConfigCommand, UpdateEndpointCommand } = await import('@aws-sdk/client-sagemaker');
    await sm.send(new CreateModelCommand({ ModelName: 'byo-update-v2', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: image, ModelDataUrl: 's3://ml-data/byo-v2/model.tar.gz' } }));
    await sm.send(new CreateEndpointConfigCommand({ EndpointConfigName: 'byo-update-v2', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'byo-update-v2', InstanceType: 'ml.t2.medium', InitialInstanceCount: 1 }] }));
    await sm.send(new UpdateEndpointCommand({ EndpointName: 'byo-update', EndpointConfigName: 'byo-update-v2' }));
    await waitForEndpoint(server, 'byo-update', ['Updating'], 10_000);
    const d = await waitForEndpoint(server, 'byo-update', ['InService', 'Failed'], 240_000);
    expect(d.EndpointConfigName).toBe('byo-update-v2');
    expect((await invoke('byo-update', 'v')).text).toBe('model=43 body=v port=8080 env=');
    const after = containersOf(server.dataDir);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    await removeEndpoint(server, 'byo-update');
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('passes SAGEMAKER_BIND_TO_PORT to an image labelled accept-bind-to-port, and routes to that port', async () => {
    const bindImage = ecr(await byoServingImage({ bindToPort: true }));
    await deploy(server, 'byo-bind', { Image: bindImage, ModelDataUrl: modelData });
    const d = await waitForEndpoint(server, 'byo-bind', ['InService', 'Failed'], 240_000);
    expect(d.FailureReason).toBeUndefined();
    const { text } = await invoke('byo-bind', 'x');
    const port = /port=(\d+)/.exec(text)?.[1];
    expect(Number(port)).toBeGreaterThanOrEqual(9000);
    expect(Number(port)).toBeLessThan(10000);
    const handle = (await endpointDoc(server, 'byo-bind'))._clary.instances[0]!.handle as ContainerHandle;
    expect(Object.keys(handle.ports ?? {})).toEqual([port]);
    await removeEndpoint(server, 'byo-bind');
  }, 300_000);

  it('replaces a container that exits after it was InService', async () => {
    await deploy(server, 'byo-crash', { Image: image, ModelDataUrl: modelData });
    expect((await waitForEndpoint(server, 'byo-crash', ['InService', 'Failed'], 240_000)).EndpointStatus).toBe('InService');
    const first = (await endpointDoc(server, 'byo-crash'))._clary.instances[0]!;
    execFileSync('podman', ['--runtime', 'runc', 'kill', (first.handle as ContainerHandle).containerId], { stdio: 'ignore' });
    // A new instance (another id) serves; the dead container is removed.
    let answer = '';
    for (let i = 0; i < 600; i++) {
      const now = (await endpointDoc(server, 'byo-crash'))._clary.instances;
      if (now.length === 1 && now[0]!.id !== first.id && now[0]!.handle) {
        answer = await invoke('byo-crash', 'again').then((r) => r.text, () => '');
        if (answer) break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toBe('model=42 body=again port=8080 env=');
    expect((await waitForEndpoint(server, 'byo-crash')).EndpointStatus).toBe('InService');
    expect(containersOf(server.dataDir)).toHaveLength(1);
    await removeEndpoint(server, 'byo-crash');
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('fails an endpoint whose image is not on this machine, saying so', async () => {
    await deploy(server, 'byo-missing', { Image: ecr('clary-test/no-such-server:1'), ModelDataUrl: modelData });
    const d = await waitForEndpoint(server, 'byo-missing', ['Failed', 'InService']);
    expect(d.EndpointStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: image 123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/clary-test\/no-such-server:1 is not a SageMaker framework image, so it runs as a container: image not found locally and no registry reachable: build or load it first/);
  }, 120_000);

  it('fails an endpoint whose image has no serve command, saying so', async () => {
    await deploy(server, 'byo-noserve', { Image: ecr(await byoServingImage({ withoutServe: true })), ModelDataUrl: modelData });
    const d = await waitForEndpoint(server, 'byo-noserve', ['Failed', 'InService'], 240_000);
    expect(d.EndpointStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^ClientError: the container could not run its command \(serve\): .*no such file or directory.*\(container lane: /i);
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);

  it('fails an endpoint whose server exits before /ping answers, with its exit code and output', async () => {
    await deploy(server, 'byo-exit', { Image: image, ModelDataUrl: modelData, Environment: { SERVE_MODE: 'exit' } });
    const d = await waitForEndpoint(server, 'byo-exit', ['Failed', 'InService'], 240_000);
    expect(d.EndpointStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/did not pass the ping health check: the model server exited with code 3 \(container lane: .*\)\. Last output: serve: cannot load the model/);
    expect(containersOf(server.dataDir)).toEqual([]);
  }, 300_000);
});
