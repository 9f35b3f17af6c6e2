import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, putText, ROLE, SKLEARN_IMAGE, sdkHyperParameters, uploadSourceDir, waitForJob } from '../training/support.js';

const run = promisify(execFile);
const clary = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args]);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'cli-logs');
  await putText(server, 'cli-logs', 'in/x.csv', '1,2\n');
});
afterAll(async () => {
  await server?.close();
});

describe('clary logs / clary metrics', () => {
  it("print a finished job's output and final metrics, and name an unknown job", async () => {
    const source = await uploadSourceDir(server, 'cli-logs', 'code/s.tar.gz', { 'train.py': 'for i in range(3):\n    print(f"step {i} loss={1/(i+1):.3f}", flush=True)\n' });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand({
        TrainingJobName: 'cli-job',
        RoleArn: ROLE,
        AlgorithmSpecification: { TrainingImage: SKLEARN_IMAGE, TrainingInputMode: 'File', MetricDefinitions: [{ Name: 'loss', Regex: 'loss=([0-9.]+)' }] },
        HyperParameters: sdkHyperParameters({ sagemaker_program: 'train.py', sagemaker_submit_directory: source }),
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://cli-logs/in/' } } }],
        OutputDataConfig: { S3OutputPath: 's3://cli-logs/out' },
        ResourceConfig: { InstanceType: 'ml.m5.large', InstanceCount: 1, VolumeSizeInGB: 1 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
      }),
    );
    expect((await waitForJob(server, 'cli-job')).TrainingJobStatus).toBe('Completed');
    const logs = await clary('logs', 'cli-job', '--follow', '--data-dir', server.dataDir);
    expect(logs.stdout).toContain('step 0 loss=1.000\nstep 1 loss=0.500\nstep 2 loss=0.333\n');
    expect(logs.stdout).toContain('-- cli-job: Completed');
    const metrics = await clary('metrics', 'cli-job', '--data-dir', server.dataDir);
    expect(metrics.stdout).toMatch(/loss\s+0\.333/);
    await expect(clary('logs', 'no-such-job', '--data-dir', server.dataDir)).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no training job named no-such-job') });
  }, 180_000);
});
