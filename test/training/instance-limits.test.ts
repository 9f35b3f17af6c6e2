import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { startTestServer, type TestServer } from '../support/server.js';
import { createBucket, jobLogs, scriptJob, tarEntries, uploadSourceDir, waitForJob } from './support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await createBucket(server, 'ml-data');
});
afterAll(async () => {
  await server?.close();
});

describe("a job runs within its instance type's limits", () => {
  it('a script that uses more memory than ml.t3.medium has (4 GiB) fails with OutOfMemoryError', async () => {
    // 6 GiB, every page written; this machine has room for it, so only the instance's limit can stop it.
    const source = await uploadSourceDir(server, 'ml-data', 'code/oom.tar.gz', {
      'train.py':
        'b = bytearray(6 * 2**30)\n' +
        'for i in range(0, len(b), 4096):\n    b[i] = 1\n' +
        'print("allocated and touched 6 GiB", flush=True)\n',
    });
    await new SageMakerClient(server.clientConfig).send(
      new CreateTrainingJobCommand(scriptJob('oom-t3-medium', source, { ResourceConfig: { InstanceType: 'ml.t3.medium', InstanceCount: 1, VolumeSizeInGB: 1 } })),
    );
    const d = await waitForJob(server, 'oom-t3-medium');
    expect(d.TrainingJobStatus).toBe('Failed');
    expect(d.SecondaryStatus).toBe('Failed');
    expect(d.FailureReason).toMatch(/^OutOfMemoryError: /);
    expect(await jobLogs(server, 'oom-t3-medium/algo-1-')).not.toContain('allocated and touched 6 GiB');
  });

  it('MaxRuntimeInSeconds stops a job that runs too long: Stopped / MaxRuntimeExceeded', async () => {
    const source = await uploadSourceDir(server, 'ml-data', 'code/sleepy.tar.gz', {
      'train.py':
        'import os, time\n' +
        'open(os.path.join(os.environ["SM_MODEL_DIR"], "epoch-1.txt"), "w").write("saved before the limit")\n' +
        'print("sleeping", flush=True)\ntime.sleep(60)\nprint("woke up", flush=True)\n',
    });
    await new SageMakerClient(server.clientConfig).send(new CreateTrainingJobCommand(scriptJob('max-runtime', source, { StoppingCondition: { MaxRuntimeInSeconds: 2 } })));
    const d = await waitForJob(server, 'max-runtime', 50_000);
    expect(d.TrainingJobStatus).toBe('Stopped');
    expect(d.SecondaryStatus).toBe('MaxRuntimeExceeded');
    expect(d.FailureReason).toBeUndefined();
    expect(d.SecondaryStatusTransitions?.at(-1)?.Status).toBe('MaxRuntimeExceeded');
    const log = await jobLogs(server, 'max-runtime/algo-1-');
    expect(log).not.toContain('woke up');
    // As on SageMaker, what the job saved in /opt/ml/model before the limit is still uploaded (on a loaded
    // machine the 2 s can end before the script got that far: then the archive is there, but empty).
    expect(d.ModelArtifacts?.S3ModelArtifacts).toBe('s3://ml-data/output/max-runtime/output/model.tar.gz');
    const entries = await tarEntries(server, 'ml-data', 'output/max-runtime/output/model.tar.gz');
    if (log.includes('sleeping')) expect(entries).toContain('epoch-1.txt');
  });
});
