import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, uploadSourceDir, waitForJob } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
});

describe('a distributed job with one failing host', () => {
  it('fails with that host\'s reason and stops the others (a rank waiting for a dead peer does not hold the job until MaxRuntime)', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/one-fails.tar.gz', {
      'train.py':
        'import os, time\n' +
        'if os.environ["SM_CURRENT_HOST"] == "algo-2":\n    raise RuntimeError("rank 1 lost its GPU")\n' +
        'print("algo-1 waiting for its peer", flush=True)\ntime.sleep(300)\nprint("algo-1 gave up waiting", flush=True)\n',
    });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(
        scriptJob('one-host-fails', source, { ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 2, VolumeSizeInGB: 1 }, StoppingCondition: { MaxRuntimeInSeconds: 3600 } }),
      ),
    );
    // Far below the 300 s algo-1 would sleep: the job must end because algo-2 failed.
    const d = await waitForJob(server, 'one-host-fails', 90_000);
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^AlgorithmError: ExecuteUserScriptError:[\s\S]*RuntimeError: rank 1 lost its GPU/);
    expect(await jobLogs(server, 'one-host-fails/algo-1-')).not.toContain('algo-1 gave up waiting');
  }, 120_000);
});
