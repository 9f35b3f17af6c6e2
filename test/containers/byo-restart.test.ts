import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { ownerOf } from '../../src/runners/container/index.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { busyboxImage, podmanSkipReason } from '../support/busybox-image.js';
import { createBucket, jobLogs, ROLE, waitForJob } from '../training/support.js';

/** A container job survives a Clary restart: the container keeps running, the next Clary reattaches and continues its log. */
const TRAIN = `#!/bin/sh
echo "line one"
sleep 4
echo "line two"
echo done > /opt/ml/model/model.txt
`;

const skipReason = podmanSkipReason();
let dataDir: string | undefined;
let server: TestServer | undefined;

afterAll(async () => {
  await server?.close();
  if (dataDir) {
    const ids = execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (ids.length > 0) execFileSync('podman', ['--runtime', 'runc', 'rm', '-f', ...ids], { stdio: 'ignore' });
    await rm(dataDir, { recursive: true, force: true });
  }
});

describe.skipIf(skipReason !== '')(`container jobs across a Clary restart${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('the job completes after the restart, with each log line once', async () => {
    const image = await busyboxImage({ repository: 'clary-test/byo-restart', files: { '/usr/bin/train': { content: TRAIN, mode: 0o755 } } });
    dataDir = await mkdtemp(join(tmpdir(), 'clary-restart-'));
    server = await startTestServer({ dataDir });
    await createBucket(server, 'ml-data');
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'byo-restart',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: image, TrainingInputMode: 'File' },
        OutputDataConfig: { S3OutputPath: 's3://ml-data/output' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    const logsSoFar = () => jobLogs(server!, 'byo-restart/algo-1-').catch(() => ''); // the log group appears with the first line
    for (let i = 0; i < 600 && !(await logsSoFar()).includes('line one'); i++) await new Promise((r) => setTimeout(r, 100));
    await server.close();
    server = undefined;
    // The container runs on without Clary (and without the Podman service Clary started).
    server = await startTestServer({ dataDir });
    const d = await waitForJob(server, 'byo-restart');
    expect(d.FailureReason).toBeUndefined();
    expect(d.TrainingJobStatus).toBe('Completed');
    const logs = (await jobLogs(server, 'byo-restart/algo-1-')).split('\n');
    expect(logs.filter((l) => l === 'line one')).toHaveLength(1);
    expect(logs.filter((l) => l === 'line two')).toHaveLength(1);
    expect(execFileSync('podman', ['ps', '-aq', '--filter', `label=clary.owner=${ownerOf(dataDir)}`], { encoding: 'utf8' }).trim()).toBe('');
  });
});
