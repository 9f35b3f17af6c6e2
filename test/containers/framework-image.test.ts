import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imagesBuildFramework, imagesList } from '../../src/cli/images.js';
import { compileConfig } from '../../src/core/config.js';
import { debootstrapMissing } from '../../src/images/index.js';
import { ownerOf } from '../../src/runners/container/index.js';
import { podmanSkipReason } from '../support/busybox-image.js';
import { deploy, INFERENCE_PY, removeAllEndpoints, waitForEndpoint } from '../hosting/support.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, putText, ROLE, SKLEARN_IMAGE, sdkHyperParameters, tarEntries, uploadSourceDir, waitForJob } from '../training/support.js';

/**
 * Clary's framework images (docs/containers.md "Framework images"): `clary images build sklearn`
 * (debootstrap the first time: several minutes; cached after), then a script-mode scikit-learn job
 * on the container lane because CLARY_RUNTIME_LANES sends the runtime there.
 */
const TRAIN_PY = `
import argparse, os, pickle, sys
import numpy as np
from sklearn.linear_model import LinearRegression
p = argparse.ArgumentParser()
p.add_argument("--fit-intercept", type=str, default="True")
args = p.parse_args()
print("in container:", os.path.exists("/run/.containerenv"), "toolkit:", "/opt/clary/toolkit" in os.environ["PYTHONPATH"].split(":"), flush=True)
data = np.loadtxt(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), delimiter=",")
model = LinearRegression(fit_intercept=args.fit_intercept == "True").fit(data[:, 1:], data[:, 0])
print(f"train mse={float(((model.predict(data[:, 1:]) - data[:, 0]) ** 2).mean()):.6f};", flush=True)
with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.pkl"), "wb") as f:
    pickle.dump(model, f)
`;

const skipReason = podmanSkipReason() || debootstrapMissing();
const LANES = { CLARY_RUNTIME_LANES: 'sklearn=container,pytorch=container,xgboost=container' };
let server: TestServer;
let buildDir: string;

describe.skipIf(skipReason !== '')(`framework images on the container lane${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  beforeAll(async () => {
    buildDir = await mkdtemp(join(tmpdir(), 'clary-fw-'));
  });
  afterAll(async () => {
    const owner = server && ownerOf(server.dataDir);
    if (server) await removeAllEndpoints(server);
    await server?.close();
    if (owner) {
      const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${owner}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
      if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
    }
    if (buildDir) await rm(buildDir, { recursive: true, force: true });
  });

  it('clary images build sklearn: a Debian base (debootstrap, cached) and the toolkit, tagged with the SageMaker name', { timeout: 15 * 60_000 }, async () => {
    const lines: string[] = [];
    const progress = (l: string) => {
      lines.push(l);
      // Minutes the first time: show what it is doing.
      if (!l.startsWith('  I: Validating') && !l.startsWith('  I: Unpacking') && !l.startsWith('  I: Configuring')) process.stdout.write(`[images build sklearn] ${l}\n`);
    };
    const first = await imagesBuildFramework(compileConfig({ dataDir: buildDir }, {}), 'sklearn', { onOutput: progress });
    expect(first.tags).toEqual(['clary/sklearn:latest', 'sagemaker-scikit-learn:1.2-1-cpu-py3']);
    expect(lines.some((l) => l.startsWith('[1/3]'))).toBe(true);
    expect(lines.some((l) => l.startsWith('[3/3]'))).toBe(true);

    // The second build reuses the base: no debootstrap.
    lines.length = 0;
    const again = await imagesBuildFramework(compileConfig({ dataDir: buildDir }, {}), 'sklearn', { onOutput: progress });
    expect(again.baseBuilt).toBe(false);
    expect(again.base).toBe(first.base);
    expect(lines.join('\n')).toContain('debootstrap skipped');

    // The image is also a plain SageMaker-contract image: train and serve on PATH, the toolkit importable.
    const out = execFileSync('podman', ['--runtime', 'runc', 'run', '--rm', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024', 'clary/sklearn:latest', 'sh', '-c', 'command -v train; command -v serve; python3 -c "import clary_training, clary_inference, sklearn; print(sklearn.__version__)"'], { encoding: 'utf8' });
    expect(out).toContain('/usr/local/bin/train');
    expect(out).toContain('/usr/local/bin/serve');
    expect(out).toMatch(/^1\.2\./m);
  });

  it('a script-mode scikit-learn job runs on the container lane with the built image', { timeout: 10 * 60_000 }, async () => {
    server = await startTestServer({}, LANES);
    await createBucket(server, 'ml-data');
    await putText(server, 'ml-data', 'data/train/train.csv', Array.from({ length: 50 }, (_, i) => `${3 * i + 1},${i}`).join('\n'));
    const source = await uploadSourceDir(server, 'ml-data', 'code/sourcedir.tar.gz', { 'train.py': TRAIN_PY, 'inference.py': INFERENCE_PY });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'sklearn-in-container',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File' },
        HyperParameters: sdkHyperParameters({ 'fit-intercept': true, sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://ml-data/data/train/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await waitForJob(server, 'sklearn-in-container', 8 * 60_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const starting = d.SecondaryStatusTransitions?.find((t) => t.Status === 'Starting')?.StatusMessage ?? '';
    expect(starting).toContain('container lane: runtime sklearn is configured for containers (CLARY_RUNTIME_LANES)');
    expect(starting).toContain('clary/sklearn:latest');
    expect(await tarEntries(server, 'ml-data', 'output/sklearn-in-container/output/model.tar.gz')).toContain('model.pkl');
    const logs = await jobLogs(server, 'sklearn-in-container/algo-1-');
    expect(logs).toContain('in container: True toolkit: True');
    expect(logs).toMatch(/train mse=0\.0+;/);

    const listing = await imagesList(compileConfig({ dataDir: server.dataDir }, LANES));
    expect(listing.lanes.find((l) => l.framework === 'sklearn')).toMatchObject({ lane: 'container', image: { built: true, stale: false } });
  });

  it('its model is served by the same image on the container lane: serve, with the inference script from S3', { timeout: 10 * 60_000 }, async () => {
    await deploy(server, 'sklearn-in-container', {
      Image: SKLEARN_IMAGE,
      ModelDataUrl: 's3://ml-data/output/sklearn-in-container/output/model.tar.gz',
      Environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://ml-data/code/sourcedir.tar.gz' },
    });
    const d = await waitForEndpoint(server, 'sklearn-in-container', ['InService', 'Failed'], 8 * 60_000);
    expect(d.FailureReason).toBeUndefined();
    expect(d.EndpointStatus).toBe('InService');
    const out = await new SageMakerRuntimeClient(server.clientConfig).send(
      new InvokeEndpointCommand({ EndpointName: 'sklearn-in-container', ContentType: 'text/csv', Body: new TextEncoder().encode('4\n5') }),
    );
    expect(new TextDecoder().decode(out.Body)).toBe('13.000,16.000');
    const logs = await new CloudWatchLogsClient(server.clientConfig).send(new FilterLogEventsCommand({ logGroupName: '/aws/sagemaker/Endpoints/sklearn-in-container' }));
    expect((logs.events ?? []).map((e) => e.message).join('\n')).toContain('clary: container lane: runtime sklearn is configured for containers (CLARY_RUNTIME_LANES)');
  });

  it('a runtime configured for containers whose image is not built fails the job at once, saying what to run', { timeout: 5 * 60_000 }, async () => {
    // pytorch or xgboost, whichever is not built here.
    const runtime = (['pytorch', 'xgboost'] as const).find((r) => spawnSync('podman', ['image', 'exists', `clary/${r}:latest`]).status !== 0);
    if (!runtime) return void console.warn('skipped: clary/pytorch and clary/xgboost are both built on this machine');
    server ??= await startTestServer({}, LANES);
    const image = runtime === 'pytorch' ? '763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-training:1.13-cpu-py39' : '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: `${runtime}-not-built`,
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
        HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: 's3://ml-data/code/sourcedir.tar.gz' }),
        OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const d = await waitForJob(server, `${runtime}-not-built`);
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toBe(`ClientError: runtime ${runtime} is configured for the container lane but its image is not built: run \`clary images build ${runtime}\``);
    // At once: it never got to download or train.
    expect(d.SecondaryStatusTransitions?.map((t) => t.Status)).not.toContain('Training');
  });
});
